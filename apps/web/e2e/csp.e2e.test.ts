// End to end: the built client under the server's Content-Security-Policy reports no violation on the
// pages people open first (setup, project list, a project, a shared session). Zod's probe for `new
// Function` used to be one (packages/protocol/src/jitless.ts). Build first: `npm run build -w @xionimus/web`.
import assert from "node:assert/strict"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { test } from "node:test"
import { Config } from "@xionimus/config"
import { silentLogger } from "@xionimus/kit"
import { createClient, createSessionsClient } from "@xionimus/sdk"
import { startServer } from "@xionimus/server"
import type { BrowserContext } from "playwright-core"
import { apiAs, launchBrowser, prepareE2e, setUpOwner, webDir } from "./browser.ts"

test("no Content-Security-Policy violation on the setup, projects, project and shared pages", async () => {
  await prepareE2e()
  const dir = await mkdtemp(join(tmpdir(), "xionimus-csp-e2e-"))
  const server = await startServer({
    config: Config.parse({
      dataDir: join(dir, "data"),
      log: { level: "silent" },
      server: { host: "127.0.0.1", port: 0, webDir, shutdownTimeoutMs: 2000 },
    }),
    logger: silentLogger(),
  })
  let context: BrowserContext | undefined
  try {
    context = await launchBrowser(join(dir, "profile"))
    const violations: string[] = []
    await context.exposeFunction("reportViolation", (text: string) => violations.push(text))
    await context.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) => {
        const report = (window as unknown as { reportViolation(text: string): void }).reportViolation
        report(`${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`)
      })
    })
    const page = context.pages()[0] ?? (await context.newPage())
    await setUpOwner(page, server.url)
    const as = await apiAs(context, server.url)
    const project = await createClient(as).createProject({ name: "Policy" })
    const sessions = createSessionsClient(as)
    const session = await sessions.create(project.id, { title: "Shared" })
    const share = await sessions.createShare(session.id, { expiresInDays: 1 })
    await page.reload()
    await page.getByTestId("project-row").first().waitFor()
    await page.goto(`${server.url}/#/projects/${project.id}`)
    await page.getByTestId("file-tree").waitFor()
    await page.goto(new URL(share.url ?? `/shared/${share.token}`, server.url).href)
    await page.getByTestId("shared-screen").waitFor()
    // A violation is reported asynchronously: give the last page's a moment to arrive.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)))
    assert.deepEqual(violations, [])
  } finally {
    await context?.close()
    await server.close()
    await rm(dir, { recursive: true, force: true })
  }
})
