// End to end: Settings → providers and models, permissions, usage and cost, in the built web client
// (apps/web/dist, or XIONIMUS_WEB_DIST) against the real server, driven in Debian's Chromium. The provider
// added through the form is an OpenAI-compatible endpoint served by the mock provider (@xionimus/testing):
// the real SDK path, scripted replies. Screenshots: .test-artifacts/e2e/settings-a-*.png.
import assert from "node:assert/strict"
import { type AddressInfo, createServer } from "node:net"
import { join } from "node:path"
import { test } from "node:test"
import { createAccountClient, createClient, createSessionsClient } from "@xionimus/sdk"
import { startMockProvider } from "@xionimus/testing"
import type { Page } from "playwright-core"
import { apiAs, artifacts, setUpOwner, signIn, startE2e } from "./browser.ts"

test("settings: add and test a provider, default model, permission rules, usage charts after a turn, German", async () => {
  const mock = await startMockProvider({ models: ["coder"] })
  // The provider itself is added through the form below; the catalog knows its model's prices already.
  const run = await startE2e("settings-a", {
    mockCatalog: true,
    quotas: { user: { modelUsdPerDay: 5, modelUsdPerMonth: 50 } },
  })
  try {
    const page = await run.open("profile")
    const shot = async (name: string) => {
      await page.evaluate("window.scrollTo(0, 0)")
      await page.screenshot({ path: join(artifacts, `settings-a-${name}.png`), fullPage: true })
    }
    const testId = (id: string) => page.getByTestId(id)
    const row = (providerId: string) =>
      page.locator(`[data-testid="provider-row"][data-provider="${providerId}"]`)

    await setUpOwner(page, run.url)
    const as = await apiAs(page.context(), run.url)

    // No provider yet: the page says so and how to add one.
    await page.goto(`${run.url}/#/settings/providers`)
    await testId("providers-mine-empty").waitFor()
    await testId("default-model-none").waitFor()
    await shot("01-providers-empty")

    // The form checks what it can before sending.
    await testId("provider-kind").selectOption("openai-compatible")
    assert.equal(await testId("provider-id").inputValue(), "local", "the id follows the kind")
    await testId("provider-save").click()
    assert.match((await testId("provider-form-problem").textContent()) ?? "", /needs a base URL/)

    // A wrong address: saved, tested at once, and the failure said in words.
    await testId("provider-id").fill("broken")
    await testId("provider-url").fill(`http://127.0.0.1:${await closedPort()}/v1`)
    await testId("provider-save").click()
    await row("broken").locator('[data-testid="provider-test-failed"][data-reason="transport"]').waitFor()
    assert.match(
      (await row("broken").getByTestId("provider-test-failed").textContent()) ?? "",
      /could not be reached.*ECONNREFUSED/s,
    )
    await shot("02-test-failed")
    await row("broken").getByTestId("provider-remove").click()
    await row("broken").getByTestId("provider-remove-confirm").click()
    await row("broken").waitFor({ state: "detached" })

    // The mock as an OpenAI-compatible provider with a key: the key is never shown back.
    const apiKey = "sk-mock-secret-7d4e"
    await testId("provider-id").fill("mock")
    await testId("provider-url").fill(mock.baseURLs.compatible)
    await testId("provider-key").fill(apiKey)
    await testId("provider-save").click()
    await row("mock").getByTestId("provider-test-ok").waitFor()
    assert.match((await row("mock").getByTestId("provider-test-ok").textContent()) ?? "", /offers \d+ models/)
    assert.equal(await row("mock").getByTestId("provider-key-hint").textContent(), "••••7d4e")
    assert.equal(await testId("provider-key").inputValue(), "", "the key field is emptied once stored")
    assert.ok(!(await page.content()).includes(apiKey), "the key appears nowhere on the page")
    await row("mock").getByTestId("provider-use-models").click()
    await row("mock").getByTestId("provider-models").filter({ hasText: "coder" }).waitFor()
    await shot("03-provider-ok")

    // The default model: chosen from the list, saved to the account, kept over a reload, used by new sessions.
    await testId("default-model-select").selectOption("mock/coder")
    await testId("default-model-saved").waitFor()
    assert.equal((await createAccountClient(as).preferences()).defaultModel, "mock/coder")
    await page.reload()
    await testId("providers-section").waitFor()
    assert.equal(await testId("default-model-select").inputValue(), "mock/coder")
    // Another browser (nothing in its storage) signs in as the same user and finds the same choice.
    const elsewhere = await run.open("profile-other")
    await elsewhere.goto(run.url)
    await signIn(elsewhere)
    await elsewhere.getByTestId("nav-settings").waitFor()
    await elsewhere.goto(`${run.url}/#/settings/providers`)
    await elsewhere.locator('[data-testid="default-model-select"]:has(option[value="mock/coder"])').waitFor()
    // Evaluated in the page (a string: this file is type-checked without the DOM library too).
    await elsewhere.waitForFunction(
      `document.querySelector('[data-testid="default-model-select"]')?.value === "mock/coder"`,
    )

    // Permissions: a wrong rule is refused with its code, a right one is saved for the user.
    const project = await createClient(as).createProject({ name: "Ledger" })
    // A session started without a model (an API client, say) starts with the user's default too.
    assert.equal((await createSessionsClient(as).create(project.id)).model, "mock/coder")
    await testId("settings-nav-permissions").click()
    await testId("permissions-mine").waitFor()
    await testId("permissions-mine-add").click()
    await testId("permissions-mine-save").click()
    await page.locator('[data-testid="permission-rule-problem"][data-code="RULE_TOOL_MISSING"]').waitFor()
    assert.equal((await createSessionsClient(as).myPermissions()).rules.length, 0, "nothing was sent")
    await shot("04-permission-problem")
    const rule = testId("permissions-mine").getByTestId("permission-rule").first()
    await rule.getByTestId("permission-rule-tool").fill("run")
    await rule.getByTestId("permission-rule-pattern").fill("npm test*")
    await rule.getByTestId("permission-rule-action").selectOption("allow")
    await testId("permissions-mine-mode").selectOption("auto-edit")
    await testId("permissions-mine-save").click()
    await testId("permissions-mine-saved").waitFor()
    assert.deepEqual(await createSessionsClient(as).myPermissions(), {
      mode: "auto-edit",
      rules: [{ tool: "run", pattern: "npm test*", action: "allow" }],
    })
    // The project's rules, as its owner.
    await testId("permissions-project").selectOption(project.id)
    await testId("permissions-project-editor").waitFor()
    await testId("permissions-project-editor-add").click()
    const projectRule = testId("permissions-project-editor").getByTestId("permission-rule").first()
    await projectRule.getByTestId("permission-rule-tool").fill("write_file")
    await projectRule.getByTestId("permission-rule-pattern").fill("secrets/**")
    await projectRule.getByTestId("permission-rule-action").selectOption("deny")
    await testId("permissions-project-editor-save").click()
    await testId("permissions-project-editor-saved").waitFor()
    assert.deepEqual((await createSessionsClient(as).projectPermissions(project.id)).rules, [
      { tool: "write_file", pattern: "secrets/**", action: "deny" },
    ])
    await shot("05-permissions-saved")

    // One scripted turn in a new session (which starts with the default model).
    mock.enqueue({
      type: "stream",
      blocks: [{ type: "text", chunks: ["The ledger ", "balances."] }],
      usage: { input: 1200, output: 300 },
    })
    await page.goto(`${run.url}/#/projects/${project.id}/sessions`)
    await testId("session-new").click()
    await testId("chat-panel").waitFor()
    const sessionId = /\/sessions\/(ses_[^/]+)$/.exec(page.url())?.[1]
    assert.ok(sessionId)
    assert.equal((await createSessionsClient(as).get(sessionId)).model, "mock/coder")
    await testId("chat-input").fill("Does the ledger balance?")
    await testId("chat-input").press("Control+Enter")
    await testId("assistant-text").filter({ hasText: "The ledger balances." }).waitFor()
    assert.equal((mock.requests.at(-1)?.body as { model?: string } | undefined)?.model, "coder")

    // The usage dashboard shows the turn (usage rows are written in batches: reload until they arrive).
    await page.goto(`${run.url}/#/settings/usage`)
    await usageArrived(page)
    assert.equal(await testId("usage-total-calls").textContent(), "1")
    assert.equal(await testId("usage-total-input").textContent(), "1,200")
    assert.equal(await testId("usage-total-cost").textContent(), "$0.0081")
    const columns = testId("usage-chart-day").locator('[data-testid="chart-column"]')
    assert.equal(await columns.count(), 30, "one bar per day of the last 30 days")
    assert.equal(
      await testId("usage-chart-day").locator('[data-testid="chart-column"][data-value="0.0081"]').count(),
      1,
    )
    await testId("usage-chart-model").locator('[data-testid="chart-bar"][data-label="mock/coder"]').waitFor()
    await testId("usage-chart-project").locator('[data-testid="chart-bar"][data-label="Ledger"]').waitFor()
    const quota = page.locator('[data-testid="quota"][data-quota="modelUsdPerDay"]').first()
    assert.match((await quota.textContent()) ?? "", /\$0\.0081 of \$5\.00 \(0\.2%\)/)
    await testId("usage-period").selectOption("7d")
    await page.locator('[data-testid="usage-section"][data-status="ready"]').waitFor()
    assert.equal(await columns.count(), 7)
    await testId("usage-chart-model-toggle-table").click()
    assert.match((await testId("usage-chart-model-table").textContent()) ?? "", /mock\/coder\$0\.0081/)
    await shot("06-usage")

    // German: texts, numbers and currency per locale.
    await testId("language-de").check({ force: true })
    await page.locator("figcaption", { hasText: "Pro Tag (UTC)" }).waitFor()
    assert.equal(await testId("usage-total-input").textContent(), "1.200")
    assert.equal(await testId("usage-total-cost").textContent(), "0,0081\u00a0$")
    await shot("07-usage-de")
    await testId("settings-nav-providers").click()
    await page.getByRole("heading", { name: "Ihre Anbieter" }).waitFor()
    await shot("08-providers-de")

    // A phone: the sections fit the width (nothing scrolls sideways).
    await page.setViewportSize({ width: 390, height: 844 })
    for (const section of ["providers", "permissions", "usage"]) {
      await page.goto(`${run.url}/#/settings/${section}`)
      await testId(`${section}-section`).waitFor()
      if (section === "permissions")
        await testId("permissions-mine").getByTestId("permission-rule").first().waitFor()
      if (section === "usage")
        await page.locator('[data-testid="usage-section"][data-status="ready"]').waitFor()
      // The section itself (the app header is another component's).
      const wide = await testId(`${section}-section`).evaluate((element) =>
        [element, ...element.querySelectorAll("*")]
          .filter(
            (child) =>
              child.getBoundingClientRect().right > element.ownerDocument.documentElement.clientWidth + 1,
          )
          .map(
            (child) => `${child.tagName}.${child.getAttribute("data-testid") ?? child.getAttribute("class")}`,
          )
          .slice(0, 8),
      )
      assert.deepEqual(wide, [], `${section} fits a phone's width`)
      await shot(`09-phone-${section}`)
    }
  } finally {
    await run.close()
    await mock.close()
  }
})

/** A loopback port nobody listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise((resolve) => probe.close(resolve))
  return port
}

async function usageArrived(page: Page): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    await page.locator('[data-testid="usage-section"][data-status="ready"]').waitFor()
    if ((await page.getByTestId("usage-total-calls").textContent()) !== "0") return
    await page.waitForTimeout(200)
    await page.reload()
  }
  assert.fail("the turn's usage never reached the dashboard")
}
