/** The pub/sub channel that carries a stream's live events. */
export function eventChannel(stream: string): string {
  return `events:${stream}`
}
