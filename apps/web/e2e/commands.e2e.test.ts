// End to end: the command palette, slash commands, attachments and edit & resend of the built web client
// (XIONIMUS_WEB_DIST or apps/web/dist) against the real server, whose model is an OpenAI-compatible
// provider pointed at the mock provider server. Driven in Debian's Chromium.
// Screenshots go to .test-artifacts/e2e/commands-*.png.
import assert from "node:assert/strict"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { test } from "node:test"
import { silentLogger } from "@xionimus/kit"
import { createClient, createSessionsClient } from "@xionimus/sdk"
import { startServer } from "@xionimus/server"
import { type MockReply, startMockProvider } from "@xionimus/testing"
import type { BrowserContext } from "playwright-core"
import { apiAs, artifacts, e2eConfig, launchBrowser, prepareE2e, setUpOwner } from "./browser.ts"

const answer = (text: string): MockReply => ({
  type: "stream",
  blocks: [{ type: "text", chunks: [text] }],
  usage: { input: 100, output: 20 },
})

// An 8×8 red PNG.
const redSquare = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEklEQVR4nGP4z8CAFWEXHbQSACj/P8Fu7N9hAAAAAElFTkSuQmCC",
  "base64",
)

test("commands: palette, quick open, slash commands, attachments, fork, edit & resend, retry", async () => {
  await prepareE2e()
  const dir = await mkdtemp(join(tmpdir(), "xionimus-commands-e2e-"))
  const mock = await startMockProvider()
  const config = e2eConfig(dir, { mock })
  const server = await startServer({ config, logger: silentLogger() })
  let context: BrowserContext | undefined
  try {
    context = await launchBrowser(join(dir, "profile"))
    const page = context.pages()[0] ?? (await context.newPage())
    const shot = (name: string) => page.screenshot({ path: join(artifacts, `commands-${name}.png`) })
    const testId = (id: string) => page.getByTestId(id)

    await setUpOwner(page, server.url)

    const as = await apiAs(context, server.url)
    const client = createClient(as)
    const sessions = createSessionsClient(as)
    const project = await client.createProject({ name: "Commands" })
    await client.writeFile(project.id, { path: "src/server/app.ts", content: "export const port = 3000\n" })
    await client.writeFile(project.id, { path: "README.md", content: "# Commands\n" })
    const session = await sessions.create(project.id, { title: "Palette work" })

    await page.goto(`${server.url}/#/projects/${project.id}/sessions/${session.id}`)
    await testId("chat-panel").waitFor()
    await testId("chat-input").focus()

    // Ctrl+K: the palette opens as a modal combobox, filters fuzzily, runs with Enter, closes and gives focus back.
    await page.keyboard.press("Control+k")
    const palette = testId("command-palette")
    await palette.waitFor()
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute("data-testid")),
      "palette-input",
    )
    assert.ok((await testId("palette-option").count()) > 8, "the app's and the session's actions are listed")
    await page.keyboard.type("thme")
    const first = testId("palette-option").first()
    assert.equal(await first.getAttribute("data-action-id"), "theme.toggle")
    assert.equal(await first.getAttribute("aria-selected"), "true")
    const activeId = await testId("palette-input").getAttribute("aria-activedescendant")
    assert.equal(activeId, await first.getAttribute("id"))
    await shot("01-palette")
    await page.keyboard.press("Enter")
    await palette.waitFor({ state: "detached" })
    await page.locator("html.dark").waitFor({ state: "attached" })
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-testid")), "chat-input")

    // Shortcuts are shown beside their actions; Escape closes without running anything.
    await testId("palette-button").click()
    await palette.waitFor()
    const offered = await testId("palette-option").evaluateAll((rows) =>
      rows.map((row) => row.getAttribute("data-action-id")),
    )
    assert.ok(offered.includes("session.share") && offered.includes("file.open"), offered.join())
    assert.ok(!offered.includes("session.stop"), "Stop is offered only while a turn runs")
    await testId("palette-input").fill("fork")
    await testId("palette-option").filter({ hasText: "Fork the session" }).waitFor()
    await testId("palette-input").fill("new ses")
    assert.match((await testId("palette-option").first().textContent()) ?? "", /New session\s*Alt\+Shift\+N/)
    await page.keyboard.press("Escape")
    await palette.waitFor({ state: "detached" })
    assert.match(page.url(), new RegExp(`/sessions/${session.id}$`))

    // An action that opens a dialog keeps the focus there (the palette gives focus back first).
    await page.keyboard.press("Control+k")
    await page.keyboard.type("share")
    await page.keyboard.press("Enter")
    await testId("share-dialog").waitFor({ state: "visible" })
    assert.equal(
      await page.evaluate(() => Boolean(document.activeElement?.closest('[data-testid="share-dialog"]'))),
      true,
      "focus is in the share dialog",
    )
    await page.keyboard.press("Escape")
    await testId("share-dialog").waitFor({ state: "hidden" })

    // Slash commands: "/he" completes to "/help" with Tab; Enter runs it.
    await testId("chat-input").fill("/he")
    await testId("slash-menu").waitFor()
    assert.deepEqual(
      await testId("slash-option").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-command"))),
      ["help"],
    )
    await shot("02-slash-menu")
    await testId("chat-input").press("Tab")
    assert.equal(await testId("chat-input").inputValue(), "/help ")
    await testId("slash-menu").waitFor({ state: "detached" })
    await testId("chat-input").press("Enter")
    const notice = testId("command-notice")
    await notice.filter({ hasText: "/undo — rewind the last message" }).waitFor()
    assert.equal(await testId("chat-input").inputValue(), "", "a command that ran clears the box")
    await shot("03-help")
    // Arrow keys choose among several; Enter completes.
    await testId("chat-input").fill("/")
    assert.equal(await testId("slash-option").count(), 9)
    await testId("chat-input").press("ArrowDown")
    await testId("chat-input").press("Enter")
    assert.equal(await testId("chat-input").inputValue(), "/test ")
    // Unknown command: a clear message with the list, the text kept.
    await testId("chat-input").fill("/deploy")
    await testId("chat-input").press("Enter")
    await notice.filter({ hasText: "“/deploy” is not a command. Commands: /run, /test, /undo" }).waitFor()
    assert.equal(await testId("chat-input").inputValue(), "/deploy")

    // An attachment: chosen with the button's file input, shown as a chip, sent as a path in the workspace,
    // shown as a thumbnail in the transcript.
    mock.enqueue(answer("A red square."))
    await testId("chat-input").fill("What is in this picture?")
    await testId("attach-input").setInputFiles({
      name: "square.png",
      mimeType: "image/png",
      buffer: redSquare,
    })
    await page
      .locator('[data-testid="attachment-chip"][data-status="ready"]')
      .filter({ hasText: "square.png" })
      .waitFor()
    await shot("04-attachment-chip")
    await testId("chat-input").press("Control+Enter")
    const sent = testId("user-message").filter({ hasText: "What is in this picture?" })
    await sent.waitFor()
    await testId("assistant-text").filter({ hasText: "A red square." }).waitFor()
    await page.locator('[data-testid="attachment-chip"]').waitFor({ state: "detached" })
    const thumbnail = sent.getByTestId("attachment-thumbnail")
    await thumbnail.waitFor()
    await page.waitForFunction(
      () =>
        (document.querySelector('[data-testid="attachment-thumbnail"]') as HTMLImageElement | null)
          ?.naturalWidth === 8,
    )
    const path = (await sent.getByTestId("message-attachment").getAttribute("data-path")) ?? ""
    assert.match(path, /^\.xionimus\/attachments\/\d{8}T\d{6}Z-[a-z0-9]+\/square\.png$/)
    const request = JSON.stringify(mock.requests.at(-1)?.body)
    assert.match(request, new RegExp(path.replaceAll(".", "\\.")), "the model reads the path")
    assert.ok(
      request.includes(`data:image/png;base64,${redSquare.toString("base64")}`),
      "and sees the picture (an image part)",
    )
    const stored = await client.readFile(project.id, path)
    assert.equal(stored.encoding, "base64")
    assert.equal(Buffer.from(stored.content, "base64").equals(redSquare), true)
    await shot("05-attachment-sent")

    // Retry: the last turn is rewound and its message sent again.
    mock.enqueue(answer("Still a red square."))
    await testId("retry-turn").click()
    await testId("assistant-text").filter({ hasText: "Still a red square." }).waitFor()
    await testId("assistant-text")
      .filter({ hasText: /^A red square\.$/ })
      .waitFor({ state: "detached" })
    assert.equal(await testId("user-message").count(), 1)
    assert.ok(
      JSON.stringify(mock.requests.at(-1)?.body).includes(redSquare.toString("base64")),
      "the retried message still carries its picture",
    )

    // /compact: nothing to compact in a one-message chat; after a second exchange the first is summarised.
    await testId("chat-input").fill("/compact")
    await testId("chat-input").press("Enter")
    await notice.filter({ hasText: "Nothing to compact yet" }).waitFor()
    mock.enqueue(answer("Also red."))
    await testId("chat-input").fill("And its border?")
    await testId("chat-input").press("Control+Enter")
    await testId("assistant-text").filter({ hasText: "Also red." }).waitFor()
    await page.locator('[data-testid="turn-bar"]').waitFor({ state: "detached" })
    mock.enqueue(answer("The user asked what the attached red square shows."))
    await testId("chat-input").fill("/compact")
    await testId("chat-input").press("Enter")
    await notice.filter({ hasText: /Compacted: the prompt went from about \d+ to \d+ tokens/ }).waitFor()
    await testId("compaction").waitFor()
    assert.match(JSON.stringify(mock.requests.at(-1)?.body), /You summarise a conversation/)

    // /fork forks the whole session and opens the fork.
    await testId("chat-input").fill("/fork")
    await testId("chat-input").press("Enter")
    await page.waitForURL((url) => !url.hash.endsWith(session.id) && /\/sessions\/ses_/.test(url.hash))
    await testId("chat-title").filter({ hasText: "Palette work (fork)" }).waitFor()
    const forkId = page.url().split("/").pop() ?? ""
    assert.equal((await sessions.get(forkId)).forkedFrom?.sessionId, session.id)

    // Edit and resend: a fork from before the message, with the edited text (the attachment kept).
    mock.enqueue(answer("It is red."))
    await testId("user-message").first().hover()
    await testId("edit-resend").first().click()
    await testId("edit-input").waitFor()
    assert.equal(await testId("edit-input").inputValue(), "What is in this picture?")
    await testId("edit-input").fill("Which colour is this picture?")
    await shot("06-edit")
    await testId("edit-send").click()
    await page.waitForURL((url) => !url.hash.endsWith(forkId) && /\/sessions\/ses_/.test(url.hash))
    const editedId = page.url().split("/").pop() ?? ""
    await testId("user-message").filter({ hasText: "Which colour is this picture?" }).waitFor()
    await testId("assistant-text").filter({ hasText: "It is red." }).waitFor()
    await testId("user-message")
      .filter({ hasText: "What is in this picture?" })
      .waitFor({ state: "detached" })
    const edited = await sessions.get(editedId)
    assert.equal(edited.forkedFrom?.sessionId, forkId)
    const log = await sessions.events(editedId, { limit: 1000 })
    const resent = log.items
      .filter((event) => event.type === "message.created")
      .map((event) => event.data as { text: string; attachments?: string[] })
      .at(-1)
    assert.equal(resent?.text, "Which colour is this picture?")
    assert.match(resent?.attachments?.[0] ?? "", /^\.xionimus\/attachments\/.+\.png$/)
    await shot("07-edited-fork")

    // The layout's panels through the registry: Ctrl+` shows the terminal, the palette hides it again.
    const terminal = page.locator("#panel-terminal")
    const terminalWasOpen = await terminal.isVisible()
    await page.keyboard.press("Control+Backquote")
    await terminal.waitFor({ state: terminalWasOpen ? "hidden" : "visible" })
    await page.keyboard.press("Control+k")
    await page.keyboard.type("terminal")
    assert.match(
      (await testId("palette-option").first().textContent()) ?? "",
      /Show or hide the terminal\s*Ctrl\+`/,
    )
    await page.keyboard.press("Enter")
    await terminal.waitFor({ state: terminalWasOpen ? "visible" : "hidden" })

    // Quick open: Ctrl+P lists the project's files by name; Enter opens one.
    await page.keyboard.press("Control+p")
    await testId("command-palette").and(page.locator('[data-mode="files"]')).waitFor()
    await page.keyboard.type("srvapp")
    await testId("palette-option").filter({ hasText: "src/server/app.ts" }).waitFor()
    await shot("08-quick-open")
    await page.keyboard.press("Enter")
    await page.waitForURL((url) => url.hash.endsWith("/file/src/server/app.ts"))

    // The language through the palette; the palette speaks German then.
    await page.keyboard.press("Control+k")
    await page.keyboard.type("language")
    await page.keyboard.press("Enter")
    await page.locator('html[lang="de"]').waitFor({ state: "attached" })
    await page.keyboard.press("Control+k")
    assert.equal(await testId("palette-input").getAttribute("placeholder"), "Befehl eingeben")
    await page.keyboard.type("datei")
    await testId("palette-option").filter({ hasText: "Datei öffnen …" }).waitFor()
    await shot("09-palette-german")
    await page.keyboard.press("Escape")
  } finally {
    await context?.close()
    await server.close()
    await mock.close()
    await rm(dir, { recursive: true, force: true })
  }
})
