import {
  applySessionEvent,
  emptySessionState,
  type PermissionDecision,
  type RewindMode,
  reduceSession,
  type Session,
  type SessionState,
  type StoredEvent,
  type UserMessage,
} from "@xionimus/protocol"
import { ApiError, type RewindPreview, type SessionsClient, type StreamClient } from "@xionimus/sdk"
import { createStore, type Store } from "../lib/store.ts"
import { toApiError } from "../lib/to-api-error.ts"
import { draftKey } from "./chat-view.ts"

export interface ChatState {
  status: "loading" | "ready" | "error"
  /** The session as the REST API described it when the chat opened (ids, created time). */
  session: Session | null
  /** The log folded by reduceSession: messages, tools, usage, open question, run state. */
  state: SessionState
  error: ApiError | null
  /** A send, decision or other action is on its way. */
  busy: boolean
}

export interface ChatDeps {
  sessions: SessionsClient
  streams: StreamClient
  sessionId: string
  /** Where drafts are kept (window.localStorage); absent: not kept. */
  storage?: Pick<Storage, "getItem" | "setItem" | "removeItem"> | undefined
  /** Called when the session's list entry may have changed (title, pin, run state). */
  onSessionChanged?: (sessionId: string) => void
}

/** One open session: its log, kept live over the event stream, and what the chat can do with it. */
export interface Chat {
  sessionId: string
  state: Store<ChatState>
  /** The unsent text; survives reloads (localStorage per session). */
  draft: Store<string>
  setDraft(text: string): void
  /**
   * Sends the draft (or `text`) with the workspace paths of attached files; clears the draft once the
   * server accepted it.
   */
  send(text?: string, model?: string, attachments?: readonly string[]): Promise<boolean>
  stop(): Promise<void>
  resume(): Promise<void>
  decide(requestId: string, decision: PermissionDecision): Promise<void>
  previewRewind(messageId: string, mode: RewindMode): Promise<RewindPreview>
  rewind(messageId: string, mode: RewindMode): Promise<void>
  undoRewind(revertEventId: string): Promise<void>
  fork(messageId?: string): Promise<Session>
  /**
   * Edit and resend: a fork of the session whose chat and files are as they were before the message
   * (fork at it, then rewind it in the fork), where `text` is sent instead. Raises what the API raised.
   */
  editAndResend(messageId: string, text: string, attachments?: readonly string[]): Promise<Session>
  /** Rewinds the last turn (code and chat) and sends its message again; false when there is none. */
  retry(): Promise<boolean>
  /** Rewinds the last message and its turn (code and chat); the message, or undefined when there is none. */
  undoLast(): Promise<UserMessage | undefined>
  setModel(model: string | null): Promise<void>
  reload(): void
  dispose(): void
}

const pageSize = 1000

/**
 * Reads a log from `after` to its head. Seqs are gap-free, so once the first page told the head and its
 * page size, the pages up to the head are fetched a few at a time instead of one after another (a long
 * session loads in a few round trips); what arrived meanwhile, or a short page, is read on in order.
 */
export async function readLog(
  read: (after: number) => Promise<{ items: StoredEvent[]; head: number }>,
  after = 0,
  parallel = 4,
): Promise<{ items: StoredEvent[]; head: number }> {
  const first = await read(after)
  const items: StoredEvent[] = [...first.items]
  let head = Math.max(first.head, after)
  let cursor = first.items.at(-1)?.seq
  if (cursor === undefined || cursor >= first.head) return { items, head }
  const size = first.items.length
  for (;;) {
    const cursors: number[] = []
    for (let next = cursor; next < head && cursors.length < parallel; next += size) cursors.push(next)
    if (cursors.length === 0) return { items, head }
    const pages = await Promise.all(cursors.map((from) => read(from)))
    const before: number = cursor
    for (const page of pages) {
      head = Math.max(head, page.head)
      // Stop at a page that does not start where the one before ended (a short page): read on from there.
      if (page.items[0]?.seq !== cursor + 1) break
      items.push(...page.items)
      cursor = page.items.at(-1)!.seq
    }
    // No progress (a page with nothing where events should be): what there is, as before.
    if (cursor >= head || cursor === before) return { items, head }
  }
}

/** The newest user message the chat shows that is not waiting in the queue: what Retry and /undo act on. */
/** The `attachments` field of a message being sent, when there are any. */
function withPaths(paths: readonly string[]): { attachments?: string[] } {
  return paths.length > 0 ? { attachments: [...paths] } : {}
}

export function lastUserMessage(state: SessionState): UserMessage | undefined {
  for (let index = state.messages.length - 1; index >= 0; index--) {
    const message = state.messages[index]!
    if (message.role === "user" && !message.queued) return message
  }
  return undefined
}

function newClientId(): string {
  return `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
}

export function createChat(deps: ChatDeps): Chat {
  const { sessions, streams, sessionId, storage } = deps
  const state = createStore<ChatState>({
    status: "loading",
    session: null,
    state: emptySessionState(sessionId),
    error: null,
    busy: false,
  })
  const draft = createStore(readDraft())
  const controller = new AbortController()
  let unsubscribe: (() => void) | undefined
  let disposed = false

  function readDraft(): string {
    try {
      return storage?.getItem(draftKey(sessionId)) ?? ""
    } catch {
      return ""
    }
  }

  function writeDraft(text: string): void {
    try {
      if (text) storage?.setItem(draftKey(sessionId), text)
      else storage?.removeItem(draftKey(sessionId))
    } catch {
      // Storage full or blocked: the draft lives on in memory.
    }
  }

  function apply(event: StoredEvent): void {
    const previous = state.get().state
    if (event.seq <= previous.head) return
    state.patch({ state: applySessionEvent(previous, event) })
    if (event.type === "session.updated" || event.type === "turn.started" || event.type === "turn.ended")
      deps.onSessionChanged?.(sessionId)
  }

  async function load(): Promise<void> {
    unsubscribe?.()
    unsubscribe = undefined
    state.patch({ status: "loading", error: null })
    try {
      let session: Session | null = null
      const log = await readLog(async (after) => {
        const page = await sessions.events(sessionId, { after, limit: pageSize, signal: controller.signal })
        session = page.session
        return page
      })
      if (disposed) return
      const folded = reduceSession(log.items, emptySessionState(sessionId))
      state.patch({ status: "ready", session, state: folded, error: null })
      // Live from the head on; the stream client resubscribes from the last seq after a reconnect.
      unsubscribe = streams.subscribe(sessionId, {
        after: folded.head,
        onEvent: apply,
        onError: (error) =>
          state.patch({
            error: new ApiError(error.code, error.message, { status: 0, details: error.details }),
          }),
      })
    } catch (error) {
      if (disposed) return
      state.patch({ status: "error", error: toApiError(error) })
    }
  }

  /** Runs an action, showing its failure in the chat's error notice. */
  async function act<T>(action: () => Promise<T>): Promise<T | undefined> {
    state.patch({ busy: true, error: null })
    try {
      return await action()
    } catch (error) {
      state.patch({ error: toApiError(error) })
      return undefined
    } finally {
      if (!disposed) state.patch({ busy: false })
    }
  }

  void load()

  return {
    sessionId,
    state,
    draft,
    setDraft(text) {
      draft.set(text)
      writeDraft(text)
    },
    async send(text = draft.get(), model, attachments = []) {
      const message = text.trim()
      if (!message && attachments.length === 0) return false
      const clientId = newClientId()
      const accepted = await act(() =>
        sessions.send(sessionId, {
          text: message,
          ...withPaths(attachments),
          clientId,
          ...(model ? { model } : {}),
        }),
      )
      if (!accepted) return false
      if (draft.get() === text) {
        draft.set("")
        writeDraft("")
      }
      return true
    },
    async stop() {
      await act(() => sessions.cancel(sessionId))
    },
    async resume() {
      await act(() => sessions.resume(sessionId))
    },
    async decide(requestId, decision) {
      await act(() => sessions.decide(sessionId, requestId, decision))
    },
    previewRewind: (messageId, mode) => sessions.rewindPreview(sessionId, { messageId, mode }),
    async rewind(messageId, mode) {
      await act(() => sessions.rewind(sessionId, { messageId, mode }))
    },
    async undoRewind(revertEventId) {
      await act(() => sessions.undoRewind(sessionId, revertEventId))
    },
    fork: (messageId) => sessions.fork(sessionId, messageId ? { messageId } : {}),
    async editAndResend(messageId, text, attachments = []) {
      const forked = await sessions.fork(sessionId, { messageId })
      await sessions.rewind(forked.id, { messageId, mode: "code-and-chat" })
      await sessions.send(forked.id, {
        text: text.trim(),
        ...withPaths(attachments),
        clientId: newClientId(),
      })
      return forked
    },
    async retry() {
      const message = lastUserMessage(state.get().state)
      if (!message) return false
      const rewound = await act(() =>
        sessions.rewind(sessionId, { messageId: message.id, mode: "code-and-chat" }),
      )
      if (!rewound) return false
      const sent = await act(() =>
        sessions.send(sessionId, {
          text: message.text,
          ...withPaths(message.attachments ?? []),
          clientId: newClientId(),
          ...(message.model ? { model: message.model } : {}),
        }),
      )
      return sent !== undefined
    },
    async undoLast() {
      const message = lastUserMessage(state.get().state)
      if (!message) return undefined
      const rewound = await act(() =>
        sessions.rewind(sessionId, { messageId: message.id, mode: "code-and-chat" }),
      )
      return rewound ? message : undefined
    },
    async setModel(model) {
      const updated = await act(() => sessions.update(sessionId, { model }))
      if (updated) deps.onSessionChanged?.(sessionId)
    },
    reload: () => void load(),
    dispose() {
      disposed = true
      controller.abort()
      unsubscribe?.()
    },
  }
}
