// End to end: the built client under the server's Content-Security-Policy reports no violation on the
// pages people open first (setup, project list, a project, a shared session). Zod's probe for `new
// Function` used to be one (packages/protocol/src/jitless.ts). Build first: `npm run build -w @xionimus/web`.
import assert from "node:assert/strict"
import { test } from "node:test"
import { createClient, createSessionsClient } from "@xionimus/sdk"
import { apiAs, setUpOwner, startE2e } from "./browser.ts"

test("no Content-Security-Policy violation on the setup, projects, project and shared pages", async () => {
  const run = await startE2e("csp")
  try {
    const page = await run.open("profile")
    const violations: string[] = []
    await page.context().exposeFunction("reportViolation", (text: string) => violations.push(text))
    await page.context().addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) => {
        const report = (window as unknown as { reportViolation(text: string): void }).reportViolation
        report(`${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`)
      })
    })
    await setUpOwner(page, run.url)
    const as = await apiAs(page.context(), run.url)
    const project = await createClient(as).createProject({ name: "Policy" })
    const sessions = createSessionsClient(as)
    const session = await sessions.create(project.id, { title: "Shared" })
    const share = await sessions.createShare(session.id, { expiresInDays: 1 })
    await page.reload()
    await page.getByTestId("project-row").first().waitFor()
    await page.goto(`${run.url}/#/projects/${project.id}`)
    await page.getByTestId("file-tree").waitFor()
    await page.goto(new URL(share.url ?? `/shared/${share.token}`, run.url).href)
    await page.getByTestId("shared-screen").waitFor()
    // A violation is reported asynchronously: give the last page's a moment to arrive.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)))
    assert.deepEqual(violations, [])
  } finally {
    await run.close()
  }
})
