// The chat's stream path as the user sees it: events from the server's stream are folded by the chat store
// (reduceSession) and the transcript shows the result — streamed text, a tool call through its states,
// the plan, and a long session rendered as a window of rows.
import { act, render, screen, waitFor } from "@testing-library/react"
import type { StoredEvent } from "@xionimus/protocol"
import type { SessionsClient, StreamClient, SubscribeOptions } from "@xionimus/sdk"
import { expect, test } from "vitest"
import { translate } from "../../src/i18n/translate.ts"
import { useStore } from "../../src/lib/store.ts"
import { ChatUiContext } from "../../src/screens/chat/chat-context.tsx"
import { ChatTranscript } from "../../src/screens/chat/chat-transcript.tsx"
import { type Chat, createChat } from "../../src/stores/chat-store.ts"

const sessionId = "ses_view1"

function events(entries: [string, unknown][], from = 0): StoredEvent[] {
  return entries.map(([type, data], index) => ({
    id: `evt_${from + index + 1}`,
    stream: sessionId,
    seq: from + index + 1,
    type,
    data,
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, from + index + 1)).toISOString(),
  }))
}

/** A chat over a log served in one page, with the live subscription handed to the test. */
function liveChat(log: StoredEvent[]) {
  let subscription: SubscribeOptions | undefined
  const sessions = {
    async events(_id: string, { after = 0 }: { after?: number } = {}) {
      return { items: log.filter((item) => item.seq > after), head: log.at(-1)?.seq ?? 0 }
    },
  } as unknown as SessionsClient
  const streams = {
    subscribe(_stream: string, options: SubscribeOptions) {
      subscription = options
      return () => {}
    },
  } as unknown as StreamClient
  const chat = createChat({ sessions, streams, sessionId })
  let seq = log.at(-1)?.seq ?? 0
  let last: StoredEvent | undefined
  return {
    chat,
    push(...entries: [string, unknown][]) {
      const next = events(entries, seq)
      seq += next.length
      last = next.at(-1)
      act(() => {
        for (const item of next) subscription?.onEvent(item)
      })
    },
    /** Delivers the last event again, as a reconnect that overlaps what arrived may. */
    redeliver() {
      act(() => {
        if (last) subscription?.onEvent(last)
      })
    },
  }
}

function Transcript({ chat }: { chat: Chat }) {
  const { state } = useStore(chat.state)
  return <ChatTranscript state={state} />
}

function renderChat(chat: Chat) {
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
    translate("en", key, params)
  return render(
    <ChatUiContext value={{ t, locale: "en", chat }}>
      <Transcript chat={chat} />
    </ChatUiContext>,
  )
}

const opening: [string, unknown][] = [
  ["session.created", { projectId: "prj_1", title: "T", model: null }],
  ["message.created", { messageId: "msg_u1", role: "user", text: "Run the tests" }],
  ["turn.started", { turnId: "trn_1", messageId: "msg_u1", model: "mock/m" }],
  ["assistant.started", { turnId: "trn_1", messageId: "msg_a1", model: "mock/m" }],
  ["assistant.text", { messageId: "msg_a1", text: "Running " }],
]

test("streamed events fold into the transcript: text grows, a tool card goes pending → running → completed", async () => {
  const { chat, push, redeliver } = liveChat(events(opening))
  renderChat(chat)
  await waitFor(() => expect(chat.state.get().status).toBe("ready"))
  expect(screen.getByText("Run the tests")).toBeTruthy()
  expect(screen.getByText(/Running/)).toBeTruthy()

  push(["assistant.text", { messageId: "msg_a1", text: "them now." }])
  expect(screen.getByText("Running them now.")).toBeTruthy()
  // The same event delivered twice is folded once.
  redeliver()
  expect(screen.getByText("Running them now.")).toBeTruthy()

  push([
    "tool.called",
    { messageId: "msg_a1", callId: "call_1", tool: "shell", input: { command: "npm test" } },
  ])
  const card = () => screen.getByTestId("tool-card")
  expect(card().dataset.status).toBe("pending")

  push(
    ["tool.updated", { callId: "call_1", status: "running" }],
    ["tool.output", { callId: "call_1", text: "PASS a.test.ts\n" }],
    ["tool.output", { callId: "call_1", text: "PASS b.test.ts\n" }],
  )
  expect(card().dataset.status).toBe("running")
  expect(screen.getByTestId("tool-output").textContent).toBe("PASS a.test.ts\nPASS b.test.ts\n")

  push(["tool.updated", { callId: "call_1", status: "completed", title: "npm test", output: "2 passed" }])
  expect(card().dataset.status).toBe("completed")
  expect(screen.getByTestId("tool-output").textContent).toBe("2 passed")

  push(["todo.updated", { todos: [{ content: "Fix the failing test", status: "pending" }] }])
  expect(screen.getByTestId("todos").textContent).toContain("Fix the failing test")
  chat.dispose()
})

test("a tool call that fails shows its error in the transcript", async () => {
  const { chat, push } = liveChat(events(opening))
  renderChat(chat)
  await waitFor(() => expect(chat.state.get().status).toBe("ready"))
  push(
    [
      "tool.called",
      { messageId: "msg_a1", callId: "call_9", tool: "shell", input: { command: "sleep 999" } },
    ],
    [
      "tool.updated",
      { callId: "call_9", status: "error", error: { code: "SANDBOX_TIMEOUT", message: "Too long." } },
    ],
  )
  expect(screen.getByTestId("tool-card").dataset.status).toBe("error")
  expect(screen.getByTestId("tool-error").textContent).toContain("SANDBOX_TIMEOUT")
  chat.dispose()
})

test("a 2,000-message session renders a window of rows and moves it when scrolled", async () => {
  const log: [string, unknown][] = [["session.created", { projectId: "prj_1", title: "Long", model: null }]]
  for (let index = 0; index < 2000; index++)
    log.push([
      "message.created",
      { messageId: `msg_${index}`, role: "user", text: `Message number ${index}` },
    ])
  const { chat } = liveChat(events(log))
  renderChat(chat)
  await waitFor(() => expect(chat.state.get().status).toBe("ready"))
  const list = screen.getByTestId("message-list")
  expect(list.dataset.windowed).toBe("true")
  const shown = () => screen.getAllByTestId("user-message").map((element) => element.textContent ?? "")
  expect(shown().length).toBeGreaterThan(0)
  expect(shown().length).toBeLessThan(60)
  expect(shown()[0]).toContain("Message number 0")
  expect(Number.parseFloat(list.style.paddingBottom)).toBeGreaterThan(100_000)

  // jsdom has no layout: rows keep the estimated height, so 140 px × 1,000 is the middle; the scroller's
  // sizes are given by hand so that the reader counts as scrolled up (no longer following the end).
  const scroller = screen.getByTestId("chat-transcript")
  Object.defineProperty(scroller, "scrollHeight", { value: 280_000 })
  Object.defineProperty(scroller, "clientHeight", { value: 800 })
  // and the list moves up as the scroller scrolls, as it would on screen.
  list.getBoundingClientRect = () => DOMRect.fromRect({ x: 0, y: -scroller.scrollTop, width: 600, height: 0 })
  scroller.scrollTop = 140_000
  act(() => {
    scroller.dispatchEvent(new Event("scroll"))
  })
  await waitFor(() => expect(shown().some((text) => text.includes("Message number 1000"))).toBe(true))
  expect(shown().some((text) => text.includes("Message number 0"))).toBe(false)
  expect(shown().length).toBeLessThan(60)
  expect(Number.parseFloat(list.style.paddingTop)).toBeGreaterThan(100_000)
  chat.dispose()
})
