// End to end: the orchestra's runs in the built web client against the real server, whose model is an
// OpenAI-compatible provider pointed at the mock provider server (the real SDK path, scripted replies for
// a four-role run: conductor, implementer, tester, reviewer). Driven in Debian's Chromium: start a run,
// see the plan gate, edit the plan, watch the package move and messages arrive, read CONTEXT.md and the
// totals, approve the review, see the run end; export, fork at a step, resume and cancel the fork; the list;
// a role's conversation; a phone; German and dark. Build first: `npm run build -w @xionimus/web`.
// Screenshots: .test-artifacts/e2e/orchestra-*.png.
import assert from "node:assert/strict"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { test } from "node:test"
import { silentLogger } from "@xionimus/kit"
import { createClient } from "@xionimus/sdk"
import { startServer } from "@xionimus/server"
import { startMockProvider } from "@xionimus/testing"
import type { BrowserContext } from "playwright-core"
import { greetSource, planReplies, workReplies } from "../test/orchestra-mock-script.ts"
import { apiAs, artifacts, e2eConfig, launchBrowser, prepareE2e, setUpOwner } from "./browser.ts"

test("an orchestra run in the browser: plan gate edited, package worked, review approved, run done", async () => {
  await prepareE2e()
  const dir = await mkdtemp(join(tmpdir(), "xionimus-orchestra-e2e-"))
  const mock = await startMockProvider()
  const server = await startServer({ config: e2eConfig(dir, { mock }), logger: silentLogger() })
  let context: BrowserContext | undefined
  try {
    context = await launchBrowser(join(dir, "profile"))
    const page = context.pages()[0] ?? (await context.newPage())
    const shot = (name: string) =>
      page.screenshot({ path: join(artifacts, `orchestra-${name}.png`), fullPage: true })
    const testId = (id: string) => page.getByTestId(id)
    page.on("dialog", (dialog) => void dialog.accept())

    await setUpOwner(page, server.url)
    const as = await apiAs(context, server.url)
    const project = await createClient(as).createProject({ name: "Greeter" })

    // From the project's files to its runs through the view switch.
    await page.goto(`${server.url}/#/projects/${project.id}`)
    await testId("view-runs").click()
    await testId("runs-empty").waitFor()
    assert.match(page.url(), new RegExp(`#/projects/${project.id}/runs$`))
    await shot("01-no-runs")

    // A new run: goal and a cost budget; a bad budget is refused before anything is sent.
    await testId("run-goal").fill("Greet people by name")
    await testId("run-budget-costUsd").fill("minus one")
    await testId("run-start").click()
    await testId("new-run-problem").waitFor()
    await testId("run-budget-costUsd").fill("5")
    mock.enqueue(...planReplies())
    await testId("run-start").click()
    await page.waitForURL(/\/runs\/orc_[^/]+$/)
    const runId = page.url().split("/").at(-1)!

    // The conductor plans; the run waits at the plan gate with the package, a message and a decision.
    const planGate = page.locator('[data-testid="gate"][data-gate-kind="plan"]')
    await planGate.waitFor()
    await page.locator('[data-testid="run-phase"][data-phase="waiting"]').waitFor()
    const card = testId("package-card")
    await card.filter({ hasText: "Feature: greet by name" }).waitFor()
    assert.equal(await card.count(), 1)
    await testId("message").filter({ hasText: "Start with src/greet.js." }).waitFor()
    assert.match((await testId("message-route").first().textContent()) ?? "", /conductor → implementer/)
    const decisions = page.locator('[data-testid="context-section"][data-section="decisions"]')
    assert.match(
      (await decisions.textContent()) ?? "",
      /one package instead of two, because the change is small/,
    )
    assert.match((await decisions.textContent()) ?? "", /owned by conductor/)
    await testId("span").first().waitFor()
    await shot("02-plan-gate")

    // Reject asks for a comment first; then edit the plan instead: the edited title is what the others get.
    await planGate.getByTestId("gate-reject").click()
    await planGate.getByTestId("gate-reject-send").click()
    await planGate.getByTestId("gate-problem").waitFor()
    await planGate.getByRole("button", { name: "Back" }).click()
    await planGate.getByTestId("gate-edit").click()
    await testId("plan-title").fill("Greet by name (edited)")
    await shot("03-plan-edit")
    mock.enqueue(...workReplies())
    await testId("plan-save").click()

    // The implementer, tester and reviewer work; the run waits at the review gate.
    const reviewGate = page.locator('[data-testid="gate"][data-gate-kind="review"]')
    await reviewGate.waitFor({ timeout: 60_000 })
    await page
      .locator('[data-testid="package-card"][data-state="approved"]', { hasText: "(edited)" })
      .waitFor()
    await testId("message").filter({ hasText: "greet is in src/greet.js." }).waitFor()
    assert.equal(await page.locator('[data-testid="span"][data-status="ended"]').count(), 4)
    assert.deepEqual(
      await page
        .locator('[data-testid="span"]')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-role"))),
      ["conductor", "implementer", "tester", "reviewer"],
    )
    const cost = (await testId("run-cost").textContent()) ?? ""
    assert.ok(/\$\d/.test(cost) && cost !== "$0.00", `a cost so far (${cost})`)
    await testId("run-budget").filter({ hasText: "of $5.00" }).waitFor()
    assert.equal(await page.locator('[data-testid="totals-by-role"] [data-testid="total-row"]').count(), 5)
    assert.equal(await page.locator('[data-testid="totals-by-package"] [data-testid="total-row"]').count(), 1)
    await shot("04-review-gate")

    await reviewGate.getByTestId("gate-approve").click()
    await page.locator('[data-testid="run-ended"][data-outcome="done"]').waitFor({ timeout: 30_000 })
    await page.locator('[data-testid="package-card"][data-state="done"]', { hasText: "checks 3/3" }).waitFor()
    await page.locator('[data-testid="run-phase"][data-phase="done"]').waitFor()
    assert.equal(await testId("run-gates").count(), 0, "no gate waits any more")
    assert.equal(await testId("run-cancel").count(), 0, "an ended run cannot be cancelled")
    assert.equal(mock.pending(), 0, "every scripted reply was used")
    // The package's work was merged into the project.
    assert.equal((await createClient(as).readFile(project.id, "src/greet.js")).content, greetSource)
    await shot("05-done")

    // Export: the run's document downloads from the link.
    const href = await testId("run-export").getAttribute("href")
    assert.equal(href, `/api/runs/${runId}/export`)
    const exported = (await (await page.request.get(`${server.url}${href}`)).json()) as {
      format: string
      runId: string
    }
    assert.deepEqual([exported.format, exported.runId], ["xionimus.run", runId])

    // Fork before the reviewer's step: a new, stopped run.
    await page.locator('[data-testid="span"][data-role="reviewer"] [data-testid="span-fork"]').click()
    await page.waitForURL((url) => !url.toString().endsWith(runId) && /\/runs\/orc_/.test(url.toString()))
    await testId("run-forked-from").filter({ hasText: runId }).waitFor()
    assert.equal(await page.locator('[data-testid="span"][data-role="reviewer"]').count(), 0)
    // Resume it: the reviewer's step runs again (its two scripted replies), up to the review gate; cancel there.
    mock.enqueue(...workReplies().slice(-2))
    await testId("run-resume").click()
    await page.locator('[data-testid="gate"][data-gate-kind="review"]').waitFor({ timeout: 30_000 })
    await page.locator('[data-testid="span"][data-role="reviewer"][data-status="ended"]').waitFor()
    assert.equal(mock.pending(), 0)
    // The gate's reason is the engine's code with params: shown in the page's language, English for the CLI.
    await testId("language-de").check({ force: true })
    await page
      .locator('[data-testid="gate-reason"]', {
        hasText: /Der Reviewer hat pkg_\S+ freigegeben; ein Mensch prüft es, bevor es zusammengeführt wird\./,
      })
      .waitFor()
    await testId("language-en").check({ force: true })
    await page
      .locator('[data-testid="gate-reason"]', { hasText: "a person reviews it before it is merged" })
      .waitFor()
    await testId("run-cancel").click()
    await page.locator('[data-testid="run-ended"][data-outcome="cancelled"]').waitFor()
    await shot("06-fork-cancelled")

    // The list: both runs, newest first, with their phase and cost against the budget.
    await testId("runs-back").click()
    await page.locator('[data-testid="run-row"]').nth(1).waitFor()
    const rows = testId("run-row")
    assert.equal(await rows.count(), 2)
    await rows.nth(0).locator('[data-testid="run-phase"][data-phase="cancelled"]').waitFor()
    await rows.nth(1).locator('[data-testid="run-phase"][data-phase="done"]').waitFor()
    assert.match((await rows.nth(1).getByTestId("run-row-cost").textContent()) ?? "", /of \$5\.00/)
    await shot("07-list")

    // A step's role opens its conversation: a session of the project with the role's turns.
    await rows.nth(1).locator("a").click()
    await page.locator('[data-testid="span"][data-role="implementer"] [data-testid="span-session"]').click()
    await page.waitForURL(/\/sessions\/ses_[^/]+_implementer_1$/)
    await testId("assistant-text").filter({ hasText: "Implemented." }).waitFor()
    await shot("08-role-session")

    // A phone: from the project's files to its runs by the header's link, then the board's columns
    // scroll sideways inside their region.
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(`${server.url}/#/projects/${project.id}`)
    await testId("view-runs").click()
    await rows.nth(1).locator("a").click()
    await testId("board").waitFor()
    const board = await testId("board").evaluate((element) => ({
      scroll: element.scrollWidth,
      width: element.clientWidth,
    }))
    assert.ok(board.scroll > board.width, `the board scrolls (${board.scroll} > ${board.width})`)
    const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(pageWidth <= 390, `the page itself does not scroll sideways (${pageWidth})`)
    await shot("09-phone")
    await page.setViewportSize({ width: 1280, height: 860 })

    // German.
    await testId("language-de").check({ force: true })
    await page.getByRole("heading", { name: "Arbeitspakete" }).waitFor()
    await page.locator('[data-testid="board-column"][data-state="done"]', { hasText: "Erledigt" }).waitFor()
    await testId("run-phase").filter({ hasText: "Fertig" }).waitFor()
    await testId("run-ended").filter({ hasText: "Alle 1 Arbeitspakete sind fertig." }).waitFor()
    await shot("10-german")
    await testId("theme-toggle").click()
    await page.locator("html.dark").waitFor({ state: "attached" })
    await shot("11-german-dark")
  } finally {
    await context?.close()
    await server.close()
    await mock.close()
    await rm(dir, { recursive: true, force: true })
  }
})
