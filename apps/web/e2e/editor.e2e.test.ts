// End to end: the editor of the built web client against the real server (the model is an
// OpenAI-compatible provider pointed at the mock provider server: the real SDK path, scripted replies).
// Driven in Debian's Chromium. Build first: `npm run build -w @xionimus/web`.
// Open, type, save with Ctrl+S, a change underneath while dirty (conflict → compare → keep mine; → reload
// theirs), search and replace, Save file from the command palette, a draft surviving a reload, tabs, the
// diff of an agent's edit from its tool card, and the files a command changed (tool card and activity
// feed). Screenshots: .test-artifacts/e2e/editor-*.png.
import assert from "node:assert/strict"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { test } from "node:test"
import { createClient, createSessionsClient } from "@xionimus/sdk"
import { startMockProvider } from "@xionimus/testing"
import type { Page } from "playwright-core"
import { apiAs, artifacts, setUpOwner, startE2e, webDir } from "./browser.ts"

const source = 'export function greet(name: string) {\n  return "Hello, " + name\n}\n'

test("the editor: save, conflict, search and replace, drafts, tabs, the diff of an agent's edit", async () => {
  const mock = await startMockProvider()
  const run = await startE2e("editor", { mock })
  try {
    const page = await run.open("profile")
    const shot = (name: string) => page.screenshot({ path: join(artifacts, `editor-${name}.png`) })
    const testId = (id: string) => page.getByTestId(id)

    await setUpOwner(page, run.url)

    const as = await apiAs(page.context(), run.url)
    const api = createClient(as)
    const project = await api.createProject({ name: "Editorbase" })
    await api.writeFile(project.id, { path: "src/greet.ts", content: source })
    await api.writeFile(project.id, { path: "README.md", content: "# Editorbase\n\nNotes.\n" })
    const read = async (path: string) => (await api.readFile(project.id, path)).content

    // CodeMirror is not part of the shell: neither the entry nor its preloads hold it, and the project
    // page loads none of it until a text file is shown.
    const html = await readFile(join(webDir, "index.html"), "utf8")
    const shell = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]!)
    assert.ok(shell.length > 0)
    for (const file of shell) {
      const code = await readFile(join(webDir, file), "utf8")
      assert.ok(!/cm-gutters|matchFilename|cm-mergeView/.test(code), `${file} holds no CodeMirror`)
    }
    const requested: string[] = []
    page.on("request", (request) => requested.push(request.url()))
    await page.goto(`${run.url}/#/projects/${project.id}`)
    await testId("file-tree").getByText("README.md").waitFor()
    assert.ok(!requested.some((url) => /code-editor|language-for/.test(url)), "no editor chunk yet")

    // Open a file: CodeMirror (its own chunk) with the TypeScript highlighting, one tab.
    await page.goto(`${run.url}/#/projects/${project.id}/file/src/greet.ts`)
    const content = testId("editor-content")
    await content.waitFor()
    await page.locator(".cm-content .cm-line").first().waitFor()
    await page.locator(".cm-lineNumbers").waitFor()
    await page.locator(".cm-foldGutter").waitFor()
    await waitForText(content, "return")
    assert.ok(
      requested.some((url) => /code-editor/.test(url)),
      "the editor chunk came when needed",
    )
    // Highlighted tokens: CodeMirror's generated style classes (ͼ…) on spans inside the lines.
    await page.locator(".cm-content span[class^='ͼ']").first().waitFor()
    assert.equal(await tab(page, "src/greet.ts").getAttribute("data-dirty"), "false")
    await shot("01-open")

    // Type and save with Ctrl+S: the tab shows unsaved changes until the server has them.
    await content.click()
    await page.keyboard.press("Control+End")
    await page.keyboard.type("export const answer = 42\n")
    await tab(page, "src/greet.ts").and(page.locator('[data-dirty="true"]')).waitFor()
    await testId("editor-tab-dirty").waitFor()
    await shot("02-typed")
    await page.keyboard.press("Control+s")
    await page.locator('[data-testid="editor-save"][data-state="saved"]').waitFor()
    await tab(page, "src/greet.ts").and(page.locator('[data-dirty="false"]')).waitFor()
    assert.equal(await read("src/greet.ts"), `${source}export const answer = 42\n`)

    // The file changes underneath while the buffer is dirty: the conflict, compare, keep mine.
    await page.keyboard.type("// mine\n")
    await tab(page, "src/greet.ts").and(page.locator('[data-dirty="true"]')).waitFor()
    await api.writeFile(project.id, { path: "src/greet.ts", content: `${source}// theirs\n` })
    await page.locator('[data-testid="editor-conflict"][data-reason="changed"]').waitFor()
    await shot("03-conflict")
    await testId("conflict-compare").click()
    const compare = testId("diff-dialog")
    await compare.locator(".cm-mergeView").waitFor()
    await waitForText(compare, "// theirs")
    await waitForText(compare, "// mine")
    assert.equal(await compare.getByTestId("diff-view").getAttribute("data-layout"), "split")
    await shot("04-compare")
    await testId("diff-keep-mine").click()
    await testId("editor-conflict").waitFor({ state: "detached" })
    await tab(page, "src/greet.ts").and(page.locator('[data-dirty="false"]')).waitFor()
    assert.equal(await read("src/greet.ts"), `${source}export const answer = 42\n// mine\n`)

    // Again, but reload theirs: my change goes, the editor shows their text.
    await content.click()
    await page.keyboard.press("Control+End")
    await page.keyboard.type("// discard me\n")
    await api.writeFile(project.id, { path: "src/greet.ts", content: `${source}// theirs, kept\n` })
    await testId("editor-conflict").waitFor()
    await testId("conflict-theirs").click()
    await testId("editor-conflict").waitFor({ state: "detached" })
    await waitForText(content, "// theirs, kept")
    assert.ok(!(await content.innerText()).includes("discard me"))

    // A clean buffer follows a change underneath silently.
    await api.writeFile(project.id, { path: "src/greet.ts", content: `${source}// agent was here\n` })
    await waitForText(content, "// agent was here")
    assert.equal(await testId("editor-conflict").count(), 0)

    // Search and replace (Ctrl+F), then save.
    await content.click()
    await page.keyboard.press("Control+f")
    const search = page.locator(".cm-search")
    await search.waitFor()
    await search.locator('input[name="search"]').fill("Hello")
    await search.locator('input[name="replace"]').fill("Servus")
    await shot("05-search-replace")
    await search.locator('button[name="replaceAll"]').click()
    await waitForText(content, "Servus")
    await search.locator('button[name="close"]').click()
    // Saved from the command palette ("Save file" is offered only while the file has unsaved changes).
    await testId("palette-button").click()
    await testId("palette-input").fill("save file")
    const saveOption = page.locator('[data-testid="palette-option"][data-action-id="editor.save"]')
    await saveOption.click()
    await page.locator('[data-testid="editor-save"][data-state="saved"]').waitFor()
    assert.match(await read("src/greet.ts"), /"Servus, " \+ name/)
    await testId("palette-button").click()
    await testId("palette-input").fill("save file")
    assert.equal(await saveOption.count(), 0, "nothing to save: no Save file")
    await page.keyboard.press("Escape")
    await testId("command-palette").waitFor({ state: "detached" })

    // A second tab; a draft survives a reload and says so.
    await testId("file-tree").getByText("README.md").click()
    await tab(page, "README.md").waitFor()
    await waitForText(content, "Editorbase")
    await content.click()
    await page.keyboard.press("Control+End")
    await page.keyboard.type("Typed before the reload.")
    await tab(page, "README.md").and(page.locator('[data-dirty="true"]')).waitFor()
    // Switching tabs keeps the undo history: back on README.md, Ctrl+Z takes the typing back, Ctrl+Y redoes.
    // (Tabs by keyboard: the arrows move between them.)
    await tab(page, "README.md").getByRole("tab").focus()
    await page.keyboard.press("ArrowLeft")
    await page.waitForURL(/\/file\/src\/greet\.ts$/)
    await waitForText(content, "Servus")
    await page.keyboard.press("ArrowRight")
    await page.waitForURL(/\/file\/README\.md$/)
    await waitForText(content, "Typed before the reload.")
    await content.focus()
    await page.keyboard.press("Control+z")
    await tab(page, "README.md").and(page.locator('[data-dirty="false"]')).waitFor()
    await page.keyboard.press("Control+y")
    await waitForText(content, "Typed before the reload.")
    await tab(page, "README.md").and(page.locator('[data-dirty="true"]')).waitFor()
    await page.reload()
    await testId("editor-restored").waitFor()
    await waitForText(testId("editor-content"), "Typed before the reload.")
    assert.equal(await page.locator('[data-testid="editor-tab"]').count(), 2, "the tabs came back")
    await tab(page, "README.md").and(page.locator('[data-dirty="true"]')).waitFor()
    await shot("06-draft-restored")
    assert.equal(await read("README.md"), "# Editorbase\n\nNotes.\n", "a draft is not saved by itself")

    // Closing a tab with unsaved changes asks; discarding closes it and shows the other tab.
    await tab(page, "README.md").getByTestId("editor-tab-close").click()
    await testId("editor-close-confirm").waitFor()
    await shot("07-close-confirm")
    await testId("editor-close-discard").click()
    await page.waitForURL(/\/file\/src\/greet\.ts$/)
    assert.equal(await page.locator('[data-testid="editor-tab"]').count(), 1)

    // The dark theme follows the app.
    await testId("theme-toggle").click()
    await page.locator("html.dark").waitFor({ state: "attached" })
    // The editor's background is the dark surface token (#151519); run in the page, so given as text.
    await page.waitForFunction(
      "getComputedStyle(document.querySelector('.cm-editor')).backgroundColor === 'rgb(21, 21, 25)'",
    )
    await shot("08-dark")
    await testId("theme-toggle").click()

    // An agent's edit: its tool card opens the diff of the whole file before and after.
    await createSessionsClient(as).setProjectPermissions(project.id, { mode: "auto-edit", rules: [] })
    const edit = { path: "src/greet.ts", edits: [{ oldText: '"Servus, "', newText: '"Grüß Gott, "' }] }
    const rewrite = { path: "README.md", content: "# Editorbase\n\nGreets in Bavarian now.\n" }
    mock.enqueue(
      {
        type: "stream",
        blocks: [
          { type: "tool-call", id: "call_edit", name: "edit", argumentChunks: [JSON.stringify(edit)] },
        ],
      },
      {
        type: "stream",
        blocks: [
          {
            type: "tool-call",
            id: "call_write",
            name: "write_file",
            argumentChunks: [JSON.stringify(rewrite)],
          },
        ],
      },
      { type: "stream", blocks: [{ type: "text", chunks: ["Changed the greeting."] }] },
    )
    await page.goto(`${run.url}/#/projects/${project.id}/sessions`)
    await testId("session-new").click()
    await testId("chat-input").fill("Greet in Bavarian")
    await testId("chat-input").press("Control+Enter")
    const card = page.locator('[data-testid="tool-card"][data-tool="edit"][data-status="completed"]')
    await card.waitFor()
    await testId("assistant-text").filter({ hasText: "Changed the greeting." }).waitFor()
    await card.getByTestId("tool-view-diff").click()
    const diff = testId("tool-diff-dialog")
    await diff.locator(".cm-mergeView").waitFor()
    await waitForText(diff, "Grüß Gott")
    await waitForText(diff, '"Servus, "')
    assert.equal(await diff.getByTestId("diff-note").count(), 0, "the whole file, exactly: no caveat")
    assert.ok((await diff.locator(".cm-changedLine").count()) > 0, "the changed line is marked")
    await shot("09-tool-diff")
    await testId("diff-close").click()

    // A file the agent replaced whole: the before comes from the turn's checkpoint (rewind preview).
    const written = page.locator('[data-testid="tool-card"][data-tool="write_file"][data-status="completed"]')
    await written.getByTestId("tool-view-diff").click()
    await diff.locator(".cm-mergeView").waitFor()
    await waitForText(diff.locator(".cm-merge-a"), "Notes.")
    await waitForText(diff.locator(".cm-merge-b"), "Greets in Bavarian now.")
    assert.equal(await diff.getByTestId("diff-note").count(), 0, "the earlier content was rebuilt exactly")
    await shot("10-tool-diff-write")
    await testId("diff-close").click()

    // A command that changed files: its card has "View changes" (the server's diff from the checkpoints
    // around the call), one file at a time; a command that changed nothing has none.
    await createSessionsClient(as).setProjectPermissions(project.id, { mode: "full-auto", rules: [] })
    const command = "printf 'built\\n' > build.log && sed -i 's/Bavarian/Austrian/' README.md"
    mock.enqueue(
      {
        type: "stream",
        blocks: [
          { type: "tool-call", id: "call_run", name: "run", argumentChunks: [JSON.stringify({ command })] },
        ],
      },
      {
        type: "stream",
        blocks: [
          {
            type: "tool-call",
            id: "call_list",
            name: "run",
            argumentChunks: [JSON.stringify({ command: "ls" })],
          },
        ],
      },
      { type: "stream", blocks: [{ type: "text", chunks: ["Built it."] }] },
    )
    await testId("chat-input").fill("Build it")
    await testId("chat-input").press("Control+Enter")
    await testId("assistant-text").filter({ hasText: "Built it." }).waitFor()
    const runCards = page.locator('[data-testid="tool-card"][data-tool="run"][data-status="completed"]')
    await runCards.nth(1).waitFor()
    assert.equal(await runCards.nth(1).getByTestId("tool-view-diff").count(), 0, "ls changed nothing")
    await runCards.first().getByTestId("tool-view-diff").click()
    await diff.locator(".cm-mergeView").waitFor()
    const chooser = diff.getByTestId("diff-file-select")
    assert.deepEqual(await chooser.locator("option").allTextContents(), [
      "README.md (changed)",
      "build.log (added)",
    ])
    await waitForText(diff.locator(".cm-merge-a"), "Greets in Bavarian now.")
    await waitForText(diff.locator(".cm-merge-b"), "Greets in Austrian now.")
    await shot("10b-run-changes")
    await chooser.selectOption({ label: "build.log (added)" })
    await waitForText(diff.locator(".cm-merge-b"), "built")
    assert.equal(await diff.getByTestId("diff-note").count(), 0, "exact: no caveat")
    await testId("diff-close").click()

    // The activity feed's agent changes open the same diff.
    await testId("toggle-activity").click()
    await testId("activity-panel").waitFor()
    const agentChange = page.locator('[data-testid="activity-item"]', { hasText: "build.log" })
    await agentChange.getByTestId("activity-diff").first().click()
    await diff.locator(".cm-mergeView").waitFor()
    await waitForText(diff.locator(".cm-merge-b"), "built")
    await shot("10c-activity-changes")
    await testId("diff-close").click()
    await testId("toggle-activity").click()
    await testId("activity-panel").waitFor({ state: "detached" })

    // On a phone the same diff is one column.
    await page.setViewportSize({ width: 390, height: 844 })
    await card.getByTestId("tool-view-diff").click()
    await page.locator('[data-testid="diff-view"][data-layout="unified"]').waitFor()
    await waitForText(diff, '"Servus, "')
    await waitForText(diff, "Grüß Gott")
    await shot("11-tool-diff-phone")
    await testId("diff-close").click()
    await page.setViewportSize({ width: 1280, height: 860 })

    // German: our texts and CodeMirror's own (the search panel).
    await testId("language-de").check({ force: true })
    await page.goto(`${run.url}/#/projects/${project.id}/file/src/greet.ts`)
    await waitForText(content, "Grüß Gott")
    await page.getByRole("button", { name: "greet.ts schließen" }).waitFor()
    await content.click()
    await page.keyboard.press("Control+End")
    await page.keyboard.type("// meins\n")
    await api.writeFile(project.id, { path: "src/greet.ts", content: "// deren\n" })
    await testId("editor-conflict").getByText("Deren Fassung laden (meine verwerfen)").waitFor()
    await content.click()
    await page.keyboard.press("Control+f")
    await page.locator('.cm-search input[placeholder="Suchen"]').waitFor()
    await shot("12-german-conflict-search")
    await testId("conflict-theirs").click()
    await waitForText(content, "// deren")
  } finally {
    await run.close()
    await mock.close()
  }
})

function tab(page: Page, path: string) {
  return page.locator(`[data-testid="editor-tab"][data-path="${path}"]`)
}

/** Waits until an element's text holds `text` (CodeMirror renders asynchronously). */
async function waitForText(locator: ReturnType<Page["locator"]>, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor()
}
