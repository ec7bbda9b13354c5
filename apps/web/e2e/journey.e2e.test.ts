// The whole journey of a new user, in the built web client against the real server, driven in Debian's
// Chromium: first-run owner setup → add a provider (the mock provider server as an OpenAI-compatible endpoint:
// the real SDK path, scripted replies) → create a project → upload files → ask the agent to fix a failing test
// → approve its command → see the diff and the test output → a second tab follows the same session live →
// fork → rewind → share, opened in a fresh browser → export. Run in English and in German (the language
// follows the browser), and the main flow once on a phone-sized screen.
// Screenshots: .test-artifacts/e2e/journey-<run>-*.png.
import assert from "node:assert/strict"
import { mkdtemp, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { test } from "node:test"
import { Config } from "@xionimus/config"
import { silentLogger } from "@xionimus/kit"
import { createClient } from "@xionimus/sdk"
import { startServer } from "@xionimus/server"
import { type MockProviderServer, type MockReply, startMockProvider } from "@xionimus/testing"
import type { BrowserContext, Page } from "playwright-core"
import {
  apiAs,
  artifacts,
  e2eConfig,
  launchBrowser,
  owner,
  prepareE2e,
  setUpOwner,
  webDir,
} from "./browser.ts"

const buggy = "exports.add = (a, b) => a - b\n"
const fixed = "exports.add = (a, b) => a + b\n"
const testFile = [
  'const { add } = require("./calc.js")',
  "const got = add(2, 3)",
  'if (got !== 5) { console.error("FAIL add(2, 3) = " + got); process.exit(1) }',
  'console.log("PASS add(2, 3) = 5")',
  "",
].join("\n")

const reply = (blocks: Extract<MockReply, { type: "stream" }>["blocks"]): MockReply => ({
  type: "stream",
  blocks,
  usage: { input: 900, output: 200 },
})
const call = (id: string, name: string, input: unknown) => ({
  type: "tool-call" as const,
  id,
  name,
  argumentChunks: [JSON.stringify(input)],
})

/** What the agent does when asked to fix the test: run it, read the code, fix it, run it again. */
function scriptTheFix(mock: MockProviderServer): void {
  mock.enqueue(
    reply([
      { type: "text", chunks: ["Let me run ", "the test first."] },
      call("call_run1", "run", { command: "node test.js" }),
    ]),
    reply([call("call_read", "read_file", { path: "calc.js" })]),
    reply([
      { type: "text", chunks: ["`add` subtracts. ", "Fixing it."] },
      call("call_write", "write_file", { path: "calc.js", content: fixed }),
    ]),
    reply([call("call_run2", "run", { command: "node test.js" })]),
    reply([
      {
        type: "text",
        chunks: [
          "Fixed: **add** used subtraction. ",
          "The test passes now.\n\nTo check:\n\n```sh run-tests.sh\nnode test.js\n```\n",
        ],
      },
    ]),
  )
}

interface Run {
  name: string
  locale: string
  /** A word of the UI that shows the language is in effect. */
  newSessionLabel: string
}

for (const run of [
  { name: "en", locale: "en-US", newSessionLabel: "New session" },
  { name: "de", locale: "de-DE", newSessionLabel: "Neue Sitzung" },
] satisfies Run[]) {
  test(`the journey of a new user (${run.name})`, async () => {
    await prepareE2e()
    const dir = await mkdtemp(join(tmpdir(), `xionimus-journey-${run.name}-`))
    const mock = await startMockProvider({ models: ["coder"] })
    const server = await startServer({
      config: Config.parse({
        dataDir: join(dir, "data"),
        log: { level: "silent" },
        server: { host: "127.0.0.1", port: 0, webDir, shutdownTimeoutMs: 2000 },
        // No provider configured: the owner adds one in Settings.
        models: {
          catalog: {
            "mock/coder": {
              capabilities: { tools: true },
              prices: { input: 3, output: 15 },
              contextWindow: 128000,
            },
          },
        },
      }),
      logger: silentLogger(),
    })
    let context: BrowserContext | undefined
    let visitor: BrowserContext | undefined
    try {
      context = await launchBrowser(join(dir, "profile"), undefined, run.locale)
      const page = context.pages()[0] ?? (await context.newPage())
      let step = 0
      const shot = async (name: string, on: Page = page) => {
        step += 1
        await on.screenshot({
          path: join(artifacts, `journey-${run.name}-${String(step).padStart(2, "0")}-${name}.png`),
        })
      }
      const testId = (id: string) => page.getByTestId(id)

      // First run: the owner account.
      await page.goto(server.url)
      await testId("setup-form").waitFor()
      await shot("setup")
      await testId("auth-email").fill(owner.email)
      await testId("auth-password").fill(owner.password)
      await testId("auth-submit").click()
      await testId("projects-empty").waitFor()
      assert.equal(await page.locator("html").getAttribute("lang"), run.locale.slice(0, 2))

      // A provider: the mock as an OpenAI-compatible endpoint, tested, its model the default.
      await testId("nav-settings").click()
      await testId("providers-mine-empty").waitFor()
      await testId("provider-kind").selectOption("openai-compatible")
      await testId("provider-id").fill("mock")
      await testId("provider-url").fill(mock.baseURLs.compatible)
      await testId("provider-key").fill("sk-journey-0001")
      await testId("provider-save").click()
      const provider = page.locator('[data-testid="provider-row"][data-provider="mock"]')
      await provider.getByTestId("provider-test-ok").waitFor()
      // The connection test lists the models the endpoint offers; take them.
      await provider.getByTestId("provider-use-models").click()
      await provider.getByTestId("provider-models").filter({ hasText: "coder" }).waitFor()
      await testId("default-model-select").selectOption("mock/coder")
      await testId("default-model-saved").waitFor()
      await shot("provider")

      // A project with a failing test, uploaded.
      await testId("nav-projects").click()
      await testId("new-project").click()
      await testId("create-name").fill("Calculator")
      await testId("create-submit").click()
      await testId("project-screen").waitFor()
      await testId("upload-input").setInputFiles([
        { name: "calc.js", mimeType: "text/javascript", buffer: Buffer.from(buggy) },
        { name: "test.js", mimeType: "text/javascript", buffer: Buffer.from(testFile) },
      ])
      await page.locator('[data-testid="tree-entry"][data-path="test.js"]').waitFor()
      await page.locator('[data-testid="tree-entry"][data-path="calc.js"]').waitFor()
      const projectId = /#\/projects\/([^/]+)/.exec(page.url())![1]!
      await shot("uploaded")

      // Ask the agent; approve its command ("allow always" for this session, so the re-run goes on).
      await testId("view-sessions").click()
      await page.getByText(run.newSessionLabel).first().waitFor()
      await testId("session-new").click()
      await testId("chat-empty").waitFor()
      const sessionUrl = page.url()
      // A second tab on the same session follows the stream live.
      const second = await context.newPage()
      await second.goto(sessionUrl)
      await second.getByTestId("chat-empty").waitFor()

      scriptTheFix(mock)
      await testId("chat-input").fill("The test fails. Please fix it.")
      await testId("chat-input").press("Control+Enter")
      await testId("approval").filter({ hasText: "node test.js" }).waitFor()
      await second.getByTestId("approval").filter({ hasText: "node test.js" }).waitFor()
      await shot("approval")
      await testId("approval-allow-always").click()
      await toolCard(page, "run", "completed")
        .first()
        .locator('[data-testid="tool-output"]', { hasText: "FAIL add(2, 3) = -1" })
        .waitFor({ state: "attached" })
      // The edit asks too.
      await testId("approval").filter({ hasText: "calc.js" }).waitFor()
      await testId("approval-allow-once").click()
      await testId("assistant-text").filter({ hasText: "The test passes now." }).waitFor()
      await page.locator('[data-testid="turn-bar"]').waitFor({ state: "detached" })
      await second.getByTestId("assistant-text").filter({ hasText: "The test passes now." }).waitFor()
      await shot("fixed-second-tab", second)
      await second.close()
      const client = createClient(await apiAs(context, server.url))
      assert.equal((await client.readFile(projectId, "calc.js")).content, fixed)

      // The test output of the second run, and the diff of the fix.
      const reruns = toolCard(page, "run", "completed")
      assert.equal(await reruns.count(), 2)
      await reruns.nth(1).locator("summary").last().click()
      await reruns.nth(1).getByTestId("tool-output").filter({ hasText: "PASS add(2, 3) = 5" }).waitFor()
      await toolCard(page, "write_file", "completed").getByTestId("tool-view-diff").click()
      const diff = testId("tool-diff-dialog")
      await diff.locator(".cm-mergeView").waitFor()
      await diff.locator(".cm-merge-a").getByText("a - b").waitFor()
      await diff.locator(".cm-merge-b").getByText("a + b").waitFor()
      await shot("diff")
      await testId("diff-close").click()
      await diff.waitFor({ state: "hidden" })

      // The answer's code block runs in the sandbox, its output in place, and is written to a file.
      const block = testId("code-block").filter({ hasText: "node test.js" }).last()
      // Coloured by the editor's grammar once complete.
      await block.locator('code[data-highlighted="true"] .tok-variableName').first().waitFor()
      await block.getByTestId("code-run").click()
      await block.locator('[data-testid="code-run-output"][data-status="done"]').waitFor()
      await block.getByTestId("code-run-output").filter({ hasText: "PASS add(2, 3) = 5" }).waitFor()
      assert.equal(await block.getByTestId("code-run-exit").getAttribute("data-exit-code"), "0")
      await block.getByTestId("code-apply").click()
      assert.equal(await block.getByTestId("code-apply-path").inputValue(), "run-tests.sh")
      await block.getByTestId("code-apply-write").click()
      await block.getByTestId("code-applied").waitFor()
      assert.equal((await client.readFile(projectId, "run-tests.sh")).content, "node test.js\n")
      await shot("code-block")

      // Fork the session: a new one with the same conversation; the original is unchanged.
      await testId("chat-fork").click()
      await page.waitForURL((url) => url.toString() !== sessionUrl)
      await testId("assistant-text").filter({ hasText: "The test passes now." }).waitFor()
      assert.equal(await page.locator('[data-testid="session-row"]').count(), 2)
      await page.goto(sessionUrl)
      await testId("assistant-text").filter({ hasText: "The test passes now." }).waitFor()

      // Rewind code and chat to before the request: the preview names calc.js; the bug is back.
      await testId("rewind-here").first().click()
      await testId("rewind-preview").waitFor()
      await testId("rewind-files").filter({ hasText: "calc.js" }).waitFor()
      await shot("rewind-preview")
      await testId("rewind-apply").click()
      await testId("revert-banner").waitFor()
      assert.equal((await client.readFile(projectId, "calc.js")).content, buggy)
      await testId("undo-rewind").click()
      await testId("assistant-text").filter({ hasText: "The test passes now." }).waitFor()
      assert.equal((await client.readFile(projectId, "calc.js")).content, fixed)

      // Share: the link opens in a browser that never signed in, read-only.
      await testId("chat-share").click()
      await testId("share-create").click()
      const link = await testId("share-link").inputValue()
      await shot("share")
      await page.keyboard.press("Escape")
      visitor = await launchBrowser(join(dir, "visitor"), undefined, run.locale)
      const guest = visitor.pages()[0] ?? (await visitor.newPage())
      await guest.goto(link)
      await guest.getByTestId("shared-screen").waitFor()
      await guest.getByTestId("assistant-text").filter({ hasText: "The test passes now." }).waitFor()
      assert.equal(await guest.getByTestId("chat-input").count(), 0, "the shared page has no composer")
      await shot("shared", guest)

      // Export: the JSON holds the conversation.
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        testId("chat-export-json").click(),
      ])
      const saved = join(dir, "export.json")
      await download.saveAs(saved)
      const exported = JSON.parse(await readFile(saved, "utf8")) as {
        format: string
        events: { type: string }[]
      }
      assert.equal(exported.format, "xionimus.session")
      assert.ok(
        exported.events.some((event) => event.type === "tool.call.ended" || event.type.startsWith("tool")),
      )
      await shot("done")
    } finally {
      await visitor?.close()
      await context?.close()
      await server.close()
      await mock.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
}

test("the main flow on a phone: sign in, project, ask, approve, see the answer", async () => {
  await prepareE2e()
  const dir = await mkdtemp(join(tmpdir(), "xionimus-journey-phone-"))
  const mock = await startMockProvider({ models: ["coder"] })
  const server = await startServer({ config: e2eConfig(dir, { mock }), logger: silentLogger() })
  let context: BrowserContext | undefined
  try {
    context = await launchBrowser(join(dir, "profile"), { width: 390, height: 844 })
    const page = context.pages()[0] ?? (await context.newPage())
    const shot = (name: string) => page.screenshot({ path: join(artifacts, `journey-phone-${name}.png`) })
    const testId = (id: string) => page.getByTestId(id)
    await setUpOwner(page, server.url)
    await testId("new-project").click()
    await testId("create-name").fill("Pocket")
    await testId("create-submit").click()
    await testId("project-screen").waitFor()
    await testId("upload-input").setInputFiles([
      { name: "calc.js", mimeType: "text/javascript", buffer: Buffer.from(buggy) },
      { name: "test.js", mimeType: "text/javascript", buffer: Buffer.from(testFile) },
    ])
    await page.locator('[data-testid="tree-entry"][data-path="test.js"]').waitFor()
    await shot("01-files")
    // On a phone the workspace's panels are tabs.
    await testId("panel-tab-chat").click()
    await testId("session-new").click()
    await testId("chat-empty").waitFor()
    scriptTheFix(mock)
    await testId("chat-input").fill("The test fails. Please fix it.")
    await testId("chat-send").click()
    await testId("approval").filter({ hasText: "node test.js" }).waitFor()
    await shot("02-approval")
    await testId("approval-allow-always").click()
    await testId("approval").filter({ hasText: "calc.js" }).waitFor()
    await testId("approval-allow-once").click()
    await testId("assistant-text").filter({ hasText: "The test passes now." }).waitFor()
    await shot("03-answer")
    const width = await page.evaluate<number>("document.documentElement.scrollWidth")
    assert.ok(width <= 390, `nothing overflows the phone's width (${width}px)`)
  } finally {
    await context?.close()
    await server.close()
    await mock.close()
    await rm(dir, { recursive: true, force: true })
  }
})

function toolCard(page: Page, tool: string, status: string) {
  return page.locator(`[data-testid="tool-card"][data-tool="${tool}"][data-status="${status}"]`)
}
