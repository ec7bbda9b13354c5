import type { Disposer } from "@xionimus/kit"
import type { NewEvent, StoredEvent } from "@xionimus/protocol"

/**
 * The durable, append-only event log (implemented by @xionimus/store on SQLite and PostgreSQL).
 * `seq` is gap-free per stream and starts at 1.
 */
export interface EventLog {
  /**
   * Appends events in order, atomically. An event whose id is already stored in the stream is not
   * appended again: its stored copy is returned in its place (idempotent retries).
   */
  append(stream: string, events: NewEvent[]): Promise<StoredEvent[]>
  /** Events with seq > after, in seq order, at most `limit`. */
  read(stream: string, options: { after: number; limit: number }): Promise<StoredEvent[]>
  /** The highest seq of the stream, 0 when it is empty. */
  head(stream: string): Promise<number>
}

/** Fire-and-forget live delivery. Misses messages while a subscriber is away; the log fills gaps. */
export interface PubSub {
  /** Sends `payload` to every current listener of `channel` (on every node); rejects with BUS_UNREACHABLE. */
  publish(channel: string, payload: string): Promise<void>
  /**
   * Resolves once the listener will receive every message published after this point; the disposer
   * removes it (and the channel subscription with the last listener). Rejects with BUS_UNREACHABLE.
   */
  subscribe(channel: string, listener: (payload: string) => void): Promise<Disposer>
  /**
   * Calls `listener` after the transport reconnected and its subscriptions are back: messages
   * published in between are lost, so subscribers re-read the log. Absent where nothing can be lost.
   */
  onReconnect?(listener: () => void): Disposer
  /** Rejects when the transport is unreachable. */
  ping(): Promise<void>
  /** Drops every listener and connection. */
  close(): Promise<void>
}

export interface SubscribeOptions {
  /** Deliver events with seq > after (default 0), then live ones, each exactly once and in order. */
  after?: number
  onEvent(event: StoredEvent): void
  /** Called when delivery cannot continue (for instance the log is unreachable); the subscription ends. */
  onError?(error: unknown): void
}

export interface Subscription {
  readonly stream: string
  /** The stream's head when the subscription started. */
  readonly head: number
  dispose: Disposer
}

/** Event log + live fan-out: what the server, agent and sessions use. */
export interface EventBus {
  /**
   * Appends to the log (see EventLog.append), then publishes the stored events. The events are
   * durable once this resolves; a failed publish is logged, and subscribers get the events from the
   * log with the stream's next event.
   */
  append(stream: string, events: NewEvent[]): Promise<StoredEvent[]>
  /** Reads the log (see EventLog.read). */
  read(stream: string, options: { after: number; limit: number }): Promise<StoredEvent[]>
  /**
   * Resolves once the live subscription is in place and the head is known; delivery (the log after
   * `after`, then live events) starts right after, never before it resolves.
   */
  subscribe(stream: string, options: SubscribeOptions): Promise<Subscription>
  /** Live subscriptions held by this process (for metrics and leak tests). */
  readonly subscriberCount: number
  /** Rejects when the pub/sub transport is unreachable. */
  ping(): Promise<void>
  /** Ends every subscription and closes the pub/sub (the bus owns it; the log belongs to the store). */
  close(): Promise<void>
}
