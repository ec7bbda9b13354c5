export function websocketTests(): void {}
