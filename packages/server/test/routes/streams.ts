export function streamTests(): void {}
