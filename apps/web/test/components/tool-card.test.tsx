// The tool card in each state of a tool call: pending → running (live output open) → completed | error.
import { render, screen, within } from "@testing-library/react"
import type { ToolPart } from "@xionimus/protocol"
import { describe, expect, test } from "vitest"
import { translate } from "../../src/i18n/translate.ts"
import { ChatUiContext } from "../../src/screens/chat/chat-context.tsx"
import { ToolCard } from "../../src/screens/chat/tool-card.tsx"

const ui = {
  t: (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
    translate("en", key, params),
  locale: "en",
  chat: null,
}

function part(overrides: Partial<ToolPart>): ToolPart {
  return {
    type: "tool",
    callId: "call_1",
    tool: "shell",
    input: { command: "npm test" },
    status: "pending",
    liveOutput: "",
    ...overrides,
  }
}

function renderCard(toolPart: ToolPart) {
  render(
    <ChatUiContext value={ui}>
      <ToolCard part={toolPart} />
    </ChatUiContext>,
  )
  return screen.getByTestId("tool-card")
}

describe("ToolCard", () => {
  test("pending: the tool, its arguments, a spinner and no output yet", () => {
    const card = renderCard(part({}))
    expect(card.dataset.status).toBe("pending")
    expect(card.dataset.tool).toBe("shell")
    expect(within(card).getByTestId("tool-status").textContent).toBe("Waiting")
    expect(within(card).getByTestId("tool-status").querySelector(".animate-spin")).not.toBeNull()
    expect(within(card).getByTestId("tool-input").textContent).toContain("npm test")
    expect(within(card).queryByTestId("tool-output")).toBeNull()
    expect(within(card).queryByTestId("tool-error")).toBeNull()
  })

  test("running: live output shows, folded open, while the spinner turns", () => {
    const card = renderCard(part({ status: "running", liveOutput: "PASS a.test.ts\n" }))
    expect(card.dataset.status).toBe("running")
    expect(within(card).getByTestId("tool-status").textContent).toBe("Running")
    expect(within(card).getByTestId("tool-status").querySelector(".animate-spin")).not.toBeNull()
    const output = within(card).getByTestId("tool-output")
    expect(output.textContent).toBe("PASS a.test.ts\n")
    expect(output.closest("details")?.open).toBe(true)
  })

  test("completed: the final output replaces the live tail, folded shut, no spinner", () => {
    const card = renderCard(
      part({ status: "completed", title: "npm test", liveOutput: "PASS a", output: "2 passed" }),
    )
    expect(within(card).getByTestId("tool-status").textContent).toBe("Done")
    expect(within(card).getByTestId("tool-status").querySelector(".animate-spin")).toBeNull()
    const output = within(card).getByTestId("tool-output")
    expect(output.textContent).toBe("2 passed")
    expect(output.closest("details")?.open).toBe(false)
    expect(within(card).getByTestId("tool-title").textContent).toContain("npm test")
  })

  test("error: the error's message and code are shown", () => {
    const card = renderCard(
      part({ status: "error", error: { code: "SANDBOX_TIMEOUT", message: "The command ran too long." } }),
    )
    expect(card.dataset.status).toBe("error")
    expect(within(card).getByTestId("tool-status").textContent).toBe("Failed")
    const error = within(card).getByTestId("tool-error")
    expect(error.textContent).toContain("The command ran too long.")
    expect(error.textContent).toContain("SANDBOX_TIMEOUT")
  })
})
