import type { Disposer } from "@xionimus/kit"
import { AppError } from "@xionimus/kit/errors"
import {
  type ClientFrame,
  type ErrorData,
  ServerFrame,
  type StoredEvent,
  StreamName,
} from "@xionimus/protocol"
import { type BackoffOptions, backoffDelay } from "./backoff.ts"

/** connecting: first attempt; open: live; reconnecting: lost and retrying; closed: close() was called. */
export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed"

/** What the client needs of a WebSocket; the browser's and Node's global WebSocket both fit. */
export interface WebSocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: ((event: unknown) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  onclose: ((event: { code: number }) => void) | null
  onerror: ((event: unknown) => void) | null
}
export type WebSocketConstructor = new (url: string) => WebSocketLike

export interface StreamClientOptions {
  /** ws(s)://host/api/stream; see streamUrl(). */
  url: string
  /** A WebSocket implementation; defaults to the global one. */
  WebSocket?: WebSocketConstructor
  backoff?: BackoffOptions
  /** How often to ping; a connection that stays silent for a whole interval is dropped. 0 turns it off. */
  heartbeatMs?: number
  /** Errors the server sends that belong to no stream. */
  onError?: (error: ErrorData) => void
  /** A subscriber's callback threw; defaults to rethrowing it outside the client. */
  onListenerError?: (error: unknown) => void
}

export interface SubscribeOptions {
  /**
   * Deliver events with seq greater than this (default 0: the whole log). Used when this call opens the
   * stream's subscription; a further subscriber to the same stream receives events from then on.
   */
  after?: number
  onEvent(event: StoredEvent): void
  /** The server confirmed the subscription; `head` is the stream's last seq at that moment. */
  onSubscribed?(head: number): void
  /** The server refused or ended the subscription (STREAM_INVALID, SUBSCRIPTION_LIMIT …); it is dropped. */
  onError?(error: ErrorData): void
}

export interface StreamClient {
  readonly state: ConnectionState
  onStateChange(listener: (state: ConnectionState) => void): Disposer
  /** Subscribes to a stream; events arrive once each, in seq order, across reconnects. */
  subscribe(stream: string, options: SubscribeOptions): Disposer
  /** The last seq delivered for a stream, or undefined when it is not subscribed. */
  lastSeq(stream: string): number | undefined
  /** Closes the socket for good and drops every subscription. */
  close(): void
}

interface Subscription {
  lastSeq: number
  listeners: Set<SubscribeOptions>
  /** A gap was seen and a fresh subscribe is on its way; later gap events are dropped meanwhile. */
  resyncing: boolean
}

const openState = 1

export function createStreamClient(options: StreamClientOptions): StreamClient {
  const WebSocketClass =
    options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket ?? undefined
  if (!WebSocketClass) throw new TypeError("No global WebSocket here; pass one as options.WebSocket.")
  const heartbeatMs = options.heartbeatMs ?? 25_000
  const reportListenerError =
    options.onListenerError ??
    ((error: unknown) =>
      setTimeout(() => {
        throw error
      }))
  const subscriptions = new Map<string, Subscription>()
  const stateListeners = new Set<(state: ConnectionState) => void>()
  let state: ConnectionState = "connecting"
  let socket: WebSocketLike | undefined
  let attempt = 0
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let heartbeatTimer: ReturnType<typeof setInterval> | undefined
  let heardSincePing = true

  function setState(next: ConnectionState): void {
    if (state === next) return
    state = next
    for (const listener of [...stateListeners]) listener(next)
  }

  function send(frame: ClientFrame): void {
    if (socket?.readyState === openState) socket.send(JSON.stringify(frame))
  }

  function notify(subscription: Subscription, call: (listener: SubscribeOptions) => void): void {
    for (const listener of [...subscription.listeners]) {
      try {
        call(listener)
      } catch (error) {
        reportListenerError(error)
      }
    }
  }

  function connect(): void {
    const current = new WebSocketClass!(options.url)
    socket = current
    current.onopen = () => {
      setState("open")
      heardSincePing = true
      for (const [stream, subscription] of subscriptions) {
        subscription.resyncing = false
        send({ type: "subscribe", stream, after: subscription.lastSeq })
      }
      if (heartbeatMs > 0) heartbeatTimer = setInterval(heartbeat, heartbeatMs)
    }
    current.onmessage = (message) => {
      if (typeof message.data === "string") receive(message.data)
    }
    current.onclose = () => lost(current)
    current.onerror = () => {
      // A close event always follows; reconnecting happens there.
    }
  }

  function heartbeat(): void {
    if (!heardSincePing && socket) {
      // The connection went silent (a half-open TCP connection never fires close in time): drop it now.
      const silent = socket
      silent.onclose = null
      silent.close(4000, "heartbeat timeout")
      lost(silent)
      return
    }
    heardSincePing = false
    send({ type: "ping" })
  }

  function lost(lostSocket: WebSocketLike): void {
    if (lostSocket !== socket) return
    socket = undefined
    clearInterval(heartbeatTimer)
    heartbeatTimer = undefined
    if (state === "closed") return
    setState("reconnecting")
    retryTimer = setTimeout(connect, backoffDelay(attempt, options.backoff))
    attempt += 1
  }

  function receive(text: string): void {
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      return
    }
    const parsed = ServerFrame.safeParse(json)
    if (!parsed.success) return
    heardSincePing = true
    attempt = 0
    const frame = parsed.data
    if (frame.type === "event") deliver(frame.stream, frame.event)
    else if (frame.type === "subscribed") {
      const subscription = subscriptions.get(frame.stream)
      if (!subscription) return
      subscription.resyncing = false
      notify(subscription, (listener) => listener.onSubscribed?.(frame.head))
    } else if (frame.type === "error") {
      const subscription = frame.stream ? subscriptions.get(frame.stream) : undefined
      if (!subscription || !frame.stream) {
        options.onError?.(frame.error)
        return
      }
      subscriptions.delete(frame.stream)
      notify(subscription, (listener) => listener.onError?.(frame.error))
    }
  }

  function deliver(stream: string, event: StoredEvent): void {
    const subscription = subscriptions.get(stream)
    if (!subscription || event.seq <= subscription.lastSeq) return
    if (event.seq > subscription.lastSeq + 1) {
      // A gap: ask again from the last seq seen rather than deliver out of order.
      if (!subscription.resyncing) {
        subscription.resyncing = true
        send({ type: "unsubscribe", stream })
        send({ type: "subscribe", stream, after: subscription.lastSeq })
      }
      return
    }
    subscription.lastSeq = event.seq
    notify(subscription, (listener) => listener.onEvent(event))
  }

  function subscribe(stream: string, subscribeOptions: SubscribeOptions): Disposer {
    if (!StreamName.safeParse(stream).success) {
      throw new AppError("STREAM_INVALID", `"${stream}" is not a stream name such as prj_….`, { stream })
    }
    if (state === "closed") throw new AppError("STREAM_CLIENT_CLOSED", "The stream client is closed.")
    let subscription = subscriptions.get(stream)
    if (!subscription) {
      subscription = { lastSeq: subscribeOptions.after ?? 0, listeners: new Set(), resyncing: false }
      subscriptions.set(stream, subscription)
      send({ type: "subscribe", stream, after: subscription.lastSeq })
    }
    const listener = { ...subscribeOptions }
    subscription.listeners.add(listener)
    const owner = subscription
    return () => {
      if (!owner.listeners.delete(listener) || owner.listeners.size > 0) return
      if (subscriptions.get(stream) !== owner) return
      subscriptions.delete(stream)
      send({ type: "unsubscribe", stream })
    }
  }

  function close(): void {
    if (state === "closed") return
    setState("closed")
    clearTimeout(retryTimer)
    clearInterval(heartbeatTimer)
    subscriptions.clear()
    const current = socket
    socket = undefined
    if (current) {
      current.onclose = null
      current.close(1000, "client closed")
    }
    stateListeners.clear()
  }

  connect()

  return {
    get state() {
      return state
    },
    onStateChange(listener) {
      stateListeners.add(listener)
      return () => {
        stateListeners.delete(listener)
      }
    },
    subscribe,
    lastSeq: (stream) => subscriptions.get(stream)?.lastSeq,
    close,
  }
}
