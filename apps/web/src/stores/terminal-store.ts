import { TerminalServerFrame } from "@xionimus/protocol"
import { createStore, type Store } from "../lib/store.ts"

/**
 * connecting → connected → (exited | disconnected → connecting …). A dropped connection retries on its own
 * with a growing delay; an exited shell waits for the user to start a new one.
 */
export type TerminalStatus =
  | { state: "connecting"; attempt: number }
  | { state: "connected" }
  | { state: "disconnected"; retryAt: number | null; attempt: number }
  | { state: "exited"; exitCode: number | null; limit: string | null }
  /** The server could not start a shell (a quota used up, the sandbox unavailable): no automatic retry. */
  | { state: "failed"; code: string; message: string }

/** What the connection needs of a WebSocket (the browser's, or a fake in tests). */
export interface TerminalSocket {
  readonly readyState: number
  onopen: (() => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  onclose: ((event: { code: number; reason: string }) => void) | null
  send(data: string): void
  close(code?: number, reason?: string): void
}

export interface TerminalConnectionDeps {
  /** The terminal endpoint, ws: or wss:, without the size query. */
  url: string
  openSocket(url: string): TerminalSocket
  /** Called with the shell's output, in order. */
  onOutput(data: string): void
  /** A new shell starts (after a reconnect or "New terminal"): the screen is cleared. */
  onNewShell?(): void
  /** The terminal's size now (null when it is not laid out yet). */
  size(): { cols: number; rows: number } | null
  now?: () => number
  setTimer?: (run: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
  backoff?: { initialMs: number; maxMs: number }
}

export interface TerminalConnection {
  status: Store<TerminalStatus>
  input(data: string): void
  /** Tells the shell the terminal's new size (sent only when it changed). */
  resize(cols: number, rows: number): void
  /** Connects now (from "disconnected" or "exited": a new shell). */
  reconnect(): void
  dispose(): void
}

const socketOpen = 1

/** The delay before retry number `attempt` (1, 2, …): doubling from `initialMs`, at most `maxMs`. */
export function retryDelay(attempt: number, backoff = { initialMs: 1000, maxMs: 30_000 }): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, attempt - 1))
}

/** `/api/projects/:id/terminal` on this page's origin, as a WebSocket URL. */
export function terminalUrl(origin: string, projectId: string): string {
  const url = new URL(`/api/projects/${encodeURIComponent(projectId)}/terminal`, origin)
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:"
  return url.toString()
}

export function createTerminalConnection(deps: TerminalConnectionDeps): TerminalConnection {
  const now = deps.now ?? Date.now
  const setTimer = deps.setTimer ?? ((run, ms) => setTimeout(run, ms))
  const clearTimer = deps.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>))
  const status = createStore<TerminalStatus>({ state: "connecting", attempt: 0 })
  let socket: TerminalSocket | null = null
  let timer: unknown = null
  let attempt = 0
  // The size the shell knows, and the one the view has; they differ while a frame could not be sent yet.
  let sentSize = ""
  let wanted: { cols: number; rows: number } | null = null
  let disposed = false

  const send = (frame: object): boolean => {
    // After the exit frame the socket stays open a moment; the shell is gone, so nothing more is sent.
    if (socket?.readyState !== socketOpen || status.get().state === "exited") return false
    socket.send(JSON.stringify(frame))
    return true
  }
  const sendSize = () => {
    if (!wanted) return
    const key = `${wanted.cols}x${wanted.rows}`
    if (key !== sentSize && send({ type: "resize", ...wanted })) sentSize = key
  }

  function connect(): void {
    if (disposed) return
    if (timer !== null) clearTimer(timer)
    timer = null
    status.set({ state: "connecting", attempt })
    const size = deps.size() ?? wanted
    const query = size ? `?cols=${size.cols}&rows=${size.rows}` : ""
    sentSize = size ? `${size.cols}x${size.rows}` : ""
    const current = deps.openSocket(`${deps.url}${query}`)
    socket = current
    let exited = false
    let started = false
    current.onopen = () => {
      if (socket !== current) return
      status.set({ state: "connected" })
      deps.onNewShell?.()
      sendSize()
    }
    current.onmessage = (event) => {
      if (socket !== current) return
      const frame = TerminalServerFrame.safeParse(parseJson(String(event.data)))
      if (!frame.success) return
      if (frame.data.type === "output") {
        // The shell runs: a later drop starts the backoff from the beginning again.
        if (!started) attempt = 0
        started = true
        deps.onOutput(frame.data.data)
      } else if (frame.data.type === "error") {
        exited = true
        status.set({ state: "failed", code: frame.data.code, message: frame.data.message })
      } else {
        exited = true
        status.set({ state: "exited", exitCode: frame.data.exitCode, limit: frame.data.limit })
      }
    }
    current.onclose = () => {
      if (socket !== current) return
      socket = null
      if (exited || disposed) return
      attempt += 1
      const delay = retryDelay(attempt, deps.backoff)
      status.set({ state: "disconnected", retryAt: now() + delay, attempt })
      timer = setTimer(connect, delay)
    }
  }

  connect()

  return {
    status,
    input(data) {
      send({ type: "input", data })
    },
    resize(cols, rows) {
      if (cols < 1 || rows < 1) return
      wanted = { cols, rows }
      sendSize()
    },
    reconnect() {
      const previous = socket
      socket = null
      previous?.close(1000, "reconnecting")
      attempt = 0
      connect()
    },
    dispose() {
      disposed = true
      if (timer !== null) clearTimer(timer)
      const previous = socket
      socket = null
      previous?.close(1000, "terminal closed")
    },
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}
