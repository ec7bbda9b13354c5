export function errorTests(): void {}
