// End to end: the project workspace's panels — resize by pointer and keyboard (kept across a reload), the
// sandbox terminal (type, resize, lose the server and come back, exit and start anew), the live activity
// feed, and tabs on a phone. The built client (XIONIMUS_WEB_DIST or apps/web/dist) served by the real
// server, driven in Debian's Chromium. Screenshots: .test-artifacts/e2e/workspace-*.png.
import assert from "node:assert/strict"
import { join } from "node:path"
import { test } from "node:test"
import { createClient, createSessionsClient } from "@xionimus/sdk"
import type { Page } from "playwright-core"
import { apiAs, artifacts, setUpOwner, startE2e, treeEntry } from "./browser.ts"

test("the workspace: resizable panels, terminal with reconnect, activity feed, phone tabs", async () => {
  const run = await startE2e("workspace")
  try {
    const page = await run.open("profile")
    const shot = (name: string) => page.screenshot({ path: join(artifacts, `workspace-${name}.png`) })
    const testId = (id: string) => page.getByTestId(id)

    await setUpOwner(page, run.url)

    // The restarted server comes back on the same port and data: the same session and address stay good.
    const as = await apiAs(page.context(), run.url)
    const api = createClient(as)
    const project = await api.createProject({ name: "Panels" })
    await api.createEntry(project.id, { path: "readme.md", type: "file", content: "# Panels\n" })

    await page.goto(`${run.url}/#/projects/${project.id}`)
    await testId("workspace").waitFor()
    await treeEntry(page, "readme.md").waitFor()

    // The tree's separator: dragged by the pointer…
    const separator = testId("resize-tree")
    const start = Number(await separator.getAttribute("aria-valuenow"))
    const box = await separator.boundingBox()
    assert.ok(box)
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width / 2 + 40, box.y + box.height / 2, { steps: 4 })
    await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2, { steps: 4 })
    await page.mouse.up()
    assert.equal(Number(await separator.getAttribute("aria-valuenow")), start + 80)
    assert.equal(Math.round((await testId("panel-tree").boundingBox())?.width ?? 0), start + 80)
    // …and moved with the keyboard (16 px a step, 64 with Shift).
    await separator.focus()
    await page.keyboard.press("ArrowRight")
    await page.keyboard.press("ArrowRight")
    await page.keyboard.press("Shift+ArrowLeft")
    const resized = start + 80 + 32 - 64
    assert.equal(Number(await separator.getAttribute("aria-valuenow")), resized)
    await shot("01-tree-resized")
    // The size is remembered across a reload.
    await page.reload()
    await treeEntry(page, "readme.md").waitFor()
    assert.equal(Number(await testId("resize-tree").getAttribute("aria-valuenow")), resized)
    assert.equal(Math.round((await testId("panel-tree").boundingBox())?.width ?? 0), resized)
    // Double-click: back to the initial size.
    await testId("resize-tree").dblclick()
    assert.equal(Number(await testId("resize-tree").getAttribute("aria-valuenow")), start)

    // The terminal: a shell in the project's sandbox.
    await testId("toggle-terminal").click()
    await terminalState(page, "connected")
    const screen = testId("terminal-screen")
    await screen.click()
    await page.keyboard.type("echo hello-term")
    await page.keyboard.press("Enter")
    await screenText(page, /echo hello-term[\s\S]*\nhello-term/)
    await shot("02-terminal")

    // A taller panel gives the shell more rows: stty reports the size xterm fitted and sent.
    await page.keyboard.type("echo size-$(stty size)")
    await page.keyboard.press("Enter")
    const before = await sttyRows(page, "size")
    const handle = await testId("resize-terminal").boundingBox()
    assert.ok(handle)
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2)
    await page.mouse.down()
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2 - 150, { steps: 6 })
    await page.mouse.up()
    await screen.click()
    await page.keyboard.type("echo later-$(stty size)")
    await page.keyboard.press("Enter")
    const after = await sttyRows(page, "later")
    assert.ok(after > before, `rows grew: ${before} → ${after}`)
    await shot("03-terminal-taller")

    // The server goes away: the panel says so and retries; the restarted server gives a new shell.
    await run.restart(async () => {
      await terminalState(page, "disconnected")
      await testId("terminal-notice").waitFor()
      await testId("terminal-reconnect").waitFor()
      await shot("04-terminal-disconnected")
    })
    await terminalState(page, "connected")
    await testId("terminal-notice").waitFor({ state: "detached" })
    await screen.click()
    await page.keyboard.type("echo back-$((20 + 1))")
    await page.keyboard.press("Enter")
    await screenText(page, /back-21/)
    // The header's live badge came back too.
    await page.locator('[data-testid="connection-state"][data-state="open"]').waitFor()
    await shot("05-terminal-reconnected")

    // The shell ends: the panel says so and offers a new terminal.
    await page.keyboard.type("exit 3")
    await page.keyboard.press("Enter")
    await terminalState(page, "exited")
    await testId("terminal-notice").filter({ hasText: "exit code 3" }).waitFor()
    await shot("06-terminal-exited")
    await testId("terminal-reconnect").click()
    await terminalState(page, "connected")

    // A second terminal in a tab: its own shell; the first one is kept meanwhile.
    await screen.first().click()
    await page.keyboard.type("echo first-shell")
    await page.keyboard.press("Enter")
    await screenText(page, /\nfirst-shell/)
    await testId("terminal-new-tab").click()
    assert.equal(await testId("terminal-tab").count(), 2)
    await terminalState(page, "connected")
    await page.locator('[data-testid="terminal-screen"]:visible').click()
    await page.keyboard.type("echo second-shell")
    await page.keyboard.press("Enter")
    const second = await screenText(page, /\nsecond-shell/)
    assert.doesNotMatch(second, /first-shell/)
    await shot("06b-terminal-tabs")
    await testId("terminal-tab").first().click()
    assert.doesNotMatch(await screenText(page, /\nfirst-shell/), /second-shell/)
    await testId("terminal-tab-close").last().click()
    assert.equal(await testId("terminal-tab").count(), 0)
    await screenText(page, /\nfirst-shell/)

    // The activity feed: a file written through the API shows up on top, and opens with a click.
    await testId("toggle-activity").click()
    await testId("activity-panel").waitFor()
    await api.createEntry(project.id, { path: "src/from-api.ts", type: "file", content: "export {}\n" })
    const item = page.locator('[data-testid="activity-item"]').first()
    await item.filter({ hasText: "Created src/from-api.ts" }).waitFor()
    await shot("07-activity")
    await item.getByTestId("activity-open").click()
    await page.waitForURL(/\/file\/src\/from-api\.ts$/)
    await testId("file-pane").filter({ hasText: "src/from-api.ts" }).waitFor()
    // A session started elsewhere shows with its title and opens the chat.
    const talk = await createSessionsClient(as).create(project.id, { title: "Plan the panels" })
    const started = page.locator('[data-testid="activity-item"][data-type="session.added"]')
    await started.filter({ hasText: "Plan the panels" }).waitFor()
    await started.getByTestId("activity-open").click()
    await page.waitForURL((url) => url.hash.endsWith(`/sessions/${talk.id}`))
    await testId("sessions-workspace").waitFor()
    await testId("panel-tree").waitFor()
    // Resized by keyboard, the activity panel keeps its size across a reload as well.
    await testId("resize-activity").focus()
    await page.keyboard.press("ArrowLeft")
    const activityWidth = Number(await testId("resize-activity").getAttribute("aria-valuenow"))
    await page.reload()
    await testId("activity-panel").waitFor()
    assert.equal(Number(await testId("resize-activity").getAttribute("aria-valuenow")), activityWidth)
    await shot("08-reloaded-with-panels")

    // Dark and German: the terminal takes the dark colours, the panels speak German.
    await testId("theme-toggle").click()
    await page.locator("html.dark").waitFor({ state: "attached" })
    await testId("language-de").check({ force: true })
    await testId("activity-panel").getByText("Aktivität", { exact: true }).waitFor()
    await page.waitForFunction(() => {
      // xterm's theme style: the text in the dark theme's foreground colour.
      const rows = document.querySelector('[data-testid="terminal-screen"] .xterm-rows')
      return rows !== null && getComputedStyle(rows).color === "rgb(230, 237, 243)"
    })
    await shot("08b-dark-german")
    await testId("language-en").check({ force: true })
    await testId("theme-toggle").click()

    // A phone: the panels become tabs.
    await page.setViewportSize({ width: 390, height: 844 })
    await testId("panel-tab-files").waitFor()
    assert.equal(await testId("resize-tree").count(), 0)
    await testId("panel-tab-terminal").click()
    await terminalState(page, "connected")
    assert.equal(await testId("panel-tab-terminal").getAttribute("aria-selected"), "true")
    await shot("09-phone-terminal")
    await testId("panel-tab-activity").click()
    await testId("activity-panel").waitFor()
    await shot("10-phone-activity")
    await testId("panel-tab-chat").click()
    await testId("sessions-workspace").waitFor()
    await testId("panel-tab-files").click()
    await page.waitForURL(/#\/projects\/prj_[^/]+$/)
    await treeEntry(page, "readme.md").waitFor()
    await shot("11-phone-files")
  } finally {
    await run.close()
  }
})

function terminalState(page: Page, state: string) {
  return page.locator(`[data-testid="terminal-state"][data-state="${state}"]`).waitFor()
}

/** Waits until xterm's screen (the DOM renderer's rows) matches; on a timeout the error shows the screen. */
async function screenText(page: Page, pattern: RegExp): Promise<string> {
  const read = () =>
    page.evaluate(() =>
      // The open tab's screen only (hidden tabs have no layout box).
      [...document.querySelectorAll('[data-testid="terminal-screen"] .xterm-rows > div')]
        .filter((row) => (row as HTMLElement).offsetParent !== null)
        .map((row) => (row.textContent ?? "").replace(/\u00a0/g, " ").trimEnd())
        .join("\n"),
    )
  const deadline = Date.now() + 20_000
  for (;;) {
    const text = await read()
    if (pattern.test(text)) return text
    if (Date.now() > deadline) throw new Error(`the terminal never showed ${pattern}; it shows:\n${text}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** The rows in the "<marker>-ROWS COLS" line that `echo <marker>-$(stty size)` printed. */
async function sttyRows(page: Page, marker: string): Promise<number> {
  const pattern = new RegExp(`(?:^|\\n)${marker}-(\\d+) \\d+`)
  const text = await screenText(page, pattern)
  return Number(text.match(pattern)?.[1])
}
