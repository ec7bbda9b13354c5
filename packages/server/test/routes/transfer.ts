export function transferTests(): void {}
