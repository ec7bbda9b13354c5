export function importTests(): void {}
