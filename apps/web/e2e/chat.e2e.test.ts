// End to end: the chat of the built web client (apps/web/dist) against the real server, whose model is an
// OpenAI-compatible provider pointed at the mock provider server (packages/testing): the real SDK path,
// scripted replies. Driven in Debian's Chromium. Build first: `npm run build -w @xionimus/web`.
// Screenshots of every step go to .test-artifacts/e2e/ (chat-*.png).
import assert from "node:assert/strict"
import { join } from "node:path"
import { test } from "node:test"
import { createClient, createSessionsClient } from "@xionimus/sdk"
import { type MockReply, startMockProvider } from "@xionimus/testing"
import type { Page } from "playwright-core"
import { apiAs, artifacts, setUpOwner, startE2e } from "./browser.ts"

const usage = { input: 1200, output: 300 }
const reply = (blocks: Extract<MockReply, { type: "stream" }>["blocks"], delayMs = 0): MockReply => ({
  type: "stream",
  blocks,
  usage,
  ...(delayMs ? { delayMs } : {}),
})
const call = (id: string, name: string, input: unknown) => ({
  type: "tool-call" as const,
  id,
  name,
  argumentChunks: [JSON.stringify(input)],
})

test("the chat: stream, tool cards, approval, cost, stop, queue, draft, rewind, share read-only", async () => {
  const mock = await startMockProvider()
  const run = await startE2e("chat", { mock })
  try {
    const page = await run.open("profile")
    const shot = (name: string, on: Page = page) =>
      on.screenshot({ path: join(artifacts, `chat-${name}.png`), fullPage: false })
    const testId = (id: string) => page.getByTestId(id)

    await setUpOwner(page, run.url)

    // The project and its permission mode through the API, as the same signed-in user.
    const as = await apiAs(page.context(), run.url)
    const project = await createClient(as).createProject({ name: "Chatbase" })
    await createSessionsClient(as).setProjectPermissions(project.id, { mode: "ask", rules: [] })

    await page.goto(`${run.url}/#/projects/${project.id}/sessions`)
    await testId("sessions-pick").waitFor()
    await testId("session-list-empty").waitFor()
    await shot("01-no-sessions")

    await testId("session-new").click()
    await testId("chat-panel").waitFor()
    await testId("chat-empty").waitFor()
    assert.match(page.url(), /\/sessions\/ses_[^/]+$/)
    await page.locator('[data-testid="session-row"]').first().waitFor()
    await shot("02-new-session")

    // One turn: streamed Markdown with a code block and a tool call, then a write that asks, then the end.
    mock.enqueue(
      reply(
        [
          {
            type: "text",
            chunks: ["Let me ", "look at ", "the project.\n\n", "```sh\n", "ls -la\n", "```\n"],
          },
          call("call_list", "list", { path: "." }),
        ],
        40,
      ),
      reply([call("call_write", "write_file", { path: "hello.txt", content: "Hello from the agent\n" })]),
      reply([{ type: "text", chunks: ["I wrote **hello.txt**. ", "Done."] }], 30),
    )
    await testId("chat-input").fill("Create hello.txt with a greeting")
    await testId("chat-input").press("Control+Enter")
    await testId("user-message").filter({ hasText: "Create hello.txt" }).waitFor()
    await testId("assistant-text").filter({ hasText: "Let me look at the project." }).waitFor()
    await testId("code-block").filter({ hasText: "ls -la" }).waitFor()
    await toolCard(page, "list", "completed").waitFor()
    await testId("approval").waitFor()
    assert.match((await testId("approval-title").textContent()) ?? "", /Write hello\.txt/)
    assert.equal(await testId("chat-input").inputValue(), "", "the sent draft is cleared")
    await shot("03-approval")

    await testId("approval-allow-once").click()
    await toolCard(page, "write_file", "completed").waitFor()
    await testId("assistant-text").filter({ hasText: "I wrote hello.txt. Done." }).waitFor()
    await page.locator('[data-testid="turn-bar"]').waitFor({ state: "detached" })
    const cost = await testId("usage-cost").textContent()
    assert.ok(cost && cost !== "$0.00" && /\$\d/.test(cost), `the meter shows a cost (${cost})`)
    assert.equal((await createClient(as).readFile(project.id, "hello.txt")).content, "Hello from the agent\n")
    await toolCard(page, "write_file", "completed").locator("summary").first().click()
    await shot("04-turn-finished")

    // A command asks too; "allow always" lets it run, and its output arrives while it runs.
    mock.enqueue(
      reply([call("call_run", "run", { command: "echo first; sleep 2; echo second" })]),
      reply([{ type: "text", chunks: ["The command ran."] }]),
    )
    await testId("chat-input").fill("Run the two echoes")
    await testId("chat-send").click()
    await testId("approval").filter({ hasText: "echo first" }).waitFor()
    await testId("approval-scope").selectOption("project")
    await testId("approval-allow-always").click()
    await toolCard(page, "run", "running")
      .locator('[data-testid="tool-output"]', { hasText: "first" })
      .waitFor()
    await shot("04b-live-output")
    await toolCard(page, "run", "completed").waitFor()
    await testId("assistant-text").filter({ hasText: "The command ran." }).waitFor()
    assert.match((await toolCard(page, "run", "completed").textContent()) ?? "", /second/)
    const saved = await createSessionsClient(as).projectPermissions(project.id)
    assert.ok(
      saved.rules.some(
        (rule) => rule.tool === "run" && rule.action === "allow" && rule.pattern.startsWith("echo"),
      ),
      `"allow always" for the project saved a rule: ${JSON.stringify(saved.rules)}`,
    )

    // Deny with a message: the call fails and the model reads why.
    mock.enqueue(
      reply([call("call_rm", "run", { command: "rm -rf build" })]),
      reply([{ type: "text", chunks: ["Understood, I leave the build folder alone."] }]),
    )
    await testId("chat-input").fill("Clean up")
    await testId("chat-send").click()
    await testId("approval").filter({ hasText: "rm -rf build" }).waitFor()
    await testId("approval-deny").click()
    await testId("approval-deny-message").fill("Keep the build folder")
    await testId("approval-deny-send").click()
    await toolCard(page, "run", "error").waitFor()
    await testId("assistant-text").filter({ hasText: "I leave the build folder alone" }).waitFor()
    assert.match(JSON.stringify(mock.requests.at(-1)?.body), /Keep the build folder/)
    await shot("04c-denied")

    // The server stops mid-turn: the turn ends interrupted, the page reconnects to the restarted server,
    // catches up from its last seq and offers Resume with the reason.
    mock.enqueue({ type: "hang" })
    await testId("chat-input").fill("Start something long")
    await testId("chat-send").click()
    await testId("chat-stop").waitFor()
    await until(() => mock.open() > 0, "the model request to hang")
    await run.restart(() =>
      page.locator('[data-testid="connection-state"][data-state="reconnecting"]').waitFor(),
    )
    await page.locator('[data-testid="connection-state"][data-state="open"]').waitFor()
    await page.locator('[data-testid="turn-bar"][data-run-state="interrupted"]').waitFor()
    await testId("chat-resume").waitFor()
    await shot("04d-interrupted")
    mock.enqueue(reply([{ type: "text", chunks: ["Picking up where I left off."] }]))
    await testId("chat-resume").click()
    await testId("assistant-text").filter({ hasText: "Picking up where I left off." }).waitFor()
    await page.locator('[data-testid="turn-bar"]').waitFor({ state: "detached" })

    // A draft survives a reload.
    await testId("chat-input").fill("An unsent thought\nwith two lines")
    await page.reload()
    await testId("chat-panel").waitFor()
    await page.locator('[data-testid="chat-input"]').filter({ hasText: "An unsent thought" }).waitFor()
    assert.equal(await testId("chat-input").inputValue(), "An unsent thought\nwith two lines")
    await testId("chat-input").fill("")

    // Stop a running turn; a message sent meanwhile shows as queued.
    mock.enqueue({ type: "hang" })
    await testId("chat-input").fill("Think about it forever")
    await testId("chat-send").click()
    await testId("chat-stop").waitFor()
    await until(() => mock.open() > 0, "the model request to hang")
    await testId("chat-input").fill("And then this")
    await testId("chat-send").click()
    await testId("queued-badge").waitFor()
    await shot("05-running-queued")
    await testId("chat-stop").click()
    await page.locator('[data-testid="turn-bar"]').waitFor({ state: "detached" })
    await page.getByText("Stopped.").nth(1).waitFor()
    await page.locator('[data-testid="queued-badge"]').waitFor({ state: "detached" })
    await shot("06-stopped")

    // Rewind to the first message: the preview lists the file the turn wrote; rewinding hides the chat and
    // removes the file; undo brings both back.
    await testId("rewind-here").first().click()
    await testId("rewind-preview").waitFor()
    await testId("rewind-files").filter({ hasText: "hello.txt" }).waitFor()
    await testId("rewind-diff").waitFor()
    await shot("07-rewind-preview")
    await testId("rewind-apply").click()
    await testId("revert-banner").waitFor()
    await testId("chat-empty").waitFor()
    const gone = await createClient(as)
      .readFile(project.id, "hello.txt")
      .catch((error: unknown) => error)
    assert.equal((gone as { code?: string }).code, "FILE_NOT_FOUND")
    await shot("08-rewound")
    await testId("undo-rewind").click()
    await testId("user-message").filter({ hasText: "Create hello.txt" }).waitFor()
    await page.locator('[data-testid="revert-banner"]').waitFor({ state: "detached" })
    assert.equal((await createClient(as).readFile(project.id, "hello.txt")).content, "Hello from the agent\n")

    // Share a read-only link; a browser that never signed in opens it.
    await testId("chat-share").click()
    await testId("share-expiry").selectOption("1")
    await testId("share-create").click()
    const link = await testId("share-link").inputValue()
    assert.match(link, /#\/shared\/.+/)
    await testId("share-row").waitFor()
    await shot("09-share-dialog")
    await page.keyboard.press("Escape")

    const guest = await run.open("visitor-profile")
    await guest.goto(link)
    await guest.getByTestId("shared-screen").waitFor()
    await guest.getByTestId("shared-badge").waitFor()
    await guest.getByTestId("user-message").filter({ hasText: "Create hello.txt" }).waitFor()
    await guest.getByTestId("assistant-text").filter({ hasText: "I wrote hello.txt. Done." }).waitFor()
    await guest.locator('[data-testid="tool-card"][data-tool="write_file"]').waitFor()
    assert.equal(await guest.getByTestId("chat-input").count(), 0, "no composer on a shared page")
    assert.equal(await guest.getByTestId("rewind-here").count(), 0, "no rewind on a shared page")
    await shot("10-shared-read-only", guest)

    // Revoking the link ends it.
    await testId("chat-share").click()
    await testId("share-revoke").first().click()
    await testId("share-list").filter({ hasText: "Revoked" }).waitFor()
    await page.keyboard.press("Escape")
    await guest.reload()
    await guest.locator('[data-testid="shared-error"][data-error-code="SHARE_NOT_FOUND"]').waitFor()

    // Sessions: rename and pin in the sidebar; search finds it by a message's text.
    await testId("session-rename").first().click({ force: true })
    await testId("session-rename-input").fill("Greeting work")
    await testId("session-tags-input").fill("greeting, demo")
    await testId("session-rename-save").click()
    await testId("chat-title").filter({ hasText: "Greeting work" }).waitFor()
    await testId("session-title").filter({ hasText: "Greeting work" }).waitFor()
    // A tag filters the list; clearing it shows all again.
    await testId("session-tag").filter({ hasText: "demo" }).first().click()
    await testId("session-tag-filter").waitFor()
    await testId("session-title").filter({ hasText: "Greeting work" }).waitFor()
    assert.equal(await testId("session-row").count(), 1)
    await testId("session-tag-clear").click()
    await testId("session-tag-filter").waitFor({ state: "detached" })
    await testId("session-pin").first().click({ force: true })
    await page.locator('[data-testid="session-row"][data-pinned="true"]').waitFor()
    await testId("session-search").fill("hello.txt")
    await testId("session-title").filter({ hasText: "Greeting work" }).waitFor()
    await testId("session-search").fill("")
    await shot("11-sidebar")

    // The server's own share links use the path form /shared/<token>.
    await testId("chat-share").click()
    await testId("share-create").click()
    const token = decodeURIComponent((await testId("share-link").inputValue()).split("#/shared/")[1]!)
    await page.keyboard.press("Escape")
    await guest.goto(`${run.url}/shared/${encodeURIComponent(token)}`)
    await guest.getByTestId("shared-title").filter({ hasText: "Greeting work" }).waitFor()

    // Export as JSON (a download), import it as a new session; fork from a message.
    const [download] = await Promise.all([page.waitForEvent("download"), testId("chat-export-json").click()])
    const exported = join(run.dir, "export.json")
    await download.saveAs(exported)
    const [markdown] = await Promise.all([
      page.waitForEvent("download"),
      testId("chat-export-markdown").click(),
    ])
    assert.match(markdown.suggestedFilename(), /\.md$/)
    const before = page.url()
    await testId("session-import-input").setInputFiles(exported)
    await page.waitForURL((url) => url.toString() !== before)
    await testId("user-message").filter({ hasText: "Create hello.txt" }).waitFor()
    await testId("toast").filter({ hasText: "Imported" }).waitFor()
    await shot("12-imported")
    const imported = page.url()
    await testId("fork-here").first().click()
    await page.waitForURL((url) => url.toString() !== imported)
    await testId("toast").filter({ hasText: "Forked" }).waitFor()
    await testId("user-message").filter({ hasText: "Create hello.txt" }).waitFor()
    assert.equal(await page.locator('[data-testid="session-row"]').count(), 3)

    // A phone: the sidebar and the chat become tabs.
    await page.setViewportSize({ width: 390, height: 844 })
    await testId("tab-chat").waitFor()
    await shot("13-phone-chat")
    await testId("tab-sessions").click()
    await testId("session-list").waitFor()
    await shot("14-phone-sessions")
    await page.setViewportSize({ width: 1280, height: 860 })

    // German.
    await testId("language-de").check({ force: true })
    await page.getByText("Neue Sitzung").waitFor()
    await shot("15-german")
    await testId("theme-toggle").click()
    await page.locator("html.dark").waitFor({ state: "attached" })
    await shot("16-german-dark")
  } finally {
    await run.close()
    await mock.close()
  }
})

function toolCard(page: Page, tool: string, status: string) {
  return page.locator(`[data-testid="tool-card"][data-tool="${tool}"][data-status="${status}"]`)
}

/** Polls a local condition (no requests); fails with `what` after a safety timeout. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
