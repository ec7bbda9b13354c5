// End to end: the built web client (apps/web/dist) served by the real server, driven in Debian's Chromium.
// Builds nothing: the test runner (scripts/test.ts) builds the client first. Screenshots of every step
// go to .test-artifacts/e2e/ at the repository root.
import assert from "node:assert/strict"
import { mkdir, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { test } from "node:test"
import { createClient } from "@xionimus/sdk"
import type { Page } from "playwright-core"
import { apiAs, artifacts, owner, setUpOwner, signIn, startE2e, treeEntry } from "./browser.ts"

test("the shell: create a project, upload two files, see them in the tree, open one", async () => {
  const run = await startE2e("shell")
  try {
    const page = await run.open("profile", { viewport: { width: 1280, height: 800 } })
    const shot = (name: string) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true })
    const testId = (id: string) => page.getByTestId(id)

    // First run: the browser is on the server's machine, so it may create the owner without a token; a
    // weak password is refused with its code. Then the shared setup (it opens the form again) creates the owner.
    await page.goto(run.url)
    await testId("setup-form").waitFor()
    assert.equal(await testId("auth-setup-token").count(), 0)
    await testId("auth-email").fill(owner.email)
    await testId("auth-password").fill("short")
    await testId("auth-submit").click()
    assert.equal(await testId("auth-error").getAttribute("data-error-code"), "PASSWORD_WEAK")
    await shot("00-first-run")
    await setUpOwner(page, run.url)
    await waitForLive(page)
    await shot("01-projects-empty")

    await testId("new-project").click()
    await testId("create-name").fill("Moonbase")
    await shot("02-create-dialog")
    await testId("create-submit").click()

    await testId("project-screen").waitFor()
    await testId("tree-empty").waitFor()
    assert.equal(await testId("project-name").textContent(), "Moonbase")
    await shot("03-project-empty")

    await testId("upload-input").setInputFiles([
      {
        name: "hello.txt",
        mimeType: "text/plain",
        buffer: Buffer.from("Hello from the e2e test\nsecond line\n"),
      },
      { name: "notes.md", mimeType: "text/markdown", buffer: Buffer.from("# Notes\n\n- one\n- two\n") },
    ])
    await treeEntry(page, "hello.txt").waitFor()
    await treeEntry(page, "notes.md").waitFor()
    await shot("04-uploaded")

    await treeEntry(page, "hello.txt").click()
    await page.getByTestId("editor-content").filter({ hasText: "Hello from the e2e test" }).waitFor()
    assert.deepEqual(await testId("editor-content").locator(".cm-line").allTextContents(), [
      "Hello from the e2e test",
      "second line",
      "",
    ])
    assert.match(page.url(), /#\/projects\/prj_[^/]+\/file\/hello\.txt$/)
    await shot("05-file-open")

    // A change made elsewhere (through the API) reaches the tree over the live event stream.
    const projectId = decodeURIComponent(page.url().split("/projects/")[1]!.split("/")[0]!)
    // As the same user from another program: the session cookie and its CSRF token.
    await createClient(await apiAs(page.context(), run.url)).createEntry(projectId, {
      path: "from-elsewhere.txt",
      type: "file",
      content: "live",
    })
    await treeEntry(page, "from-elsewhere.txt").waitFor()
    await shot("06-live-update")

    // A folder upload keeps the folder structure.
    const folder = join(run.dir, "upload", "docs")
    await mkdir(join(folder, "guide"), { recursive: true })
    await writeFile(join(folder, "index.md"), "# Docs\n")
    await writeFile(join(folder, "guide", "start.md"), "Start here.\n")
    await testId("upload-folder-input").setInputFiles(folder)
    await treeEntry(page, "docs").click()
    await treeEntry(page, "docs/guide").click()
    await treeEntry(page, "docs/guide/start.md").click()
    await testId("editor-content").filter({ hasText: "Start here." }).waitFor()
    await shot("06b-folder-upload")
    await treeEntry(page, "hello.txt").click()
    await testId("editor-content").filter({ hasText: "Hello from the e2e test" }).waitFor()

    await testId("theme-toggle").click()
    await page.locator("html.dark").waitFor({ state: "attached" })
    await shot("07-file-open-dark")
    await testId("language-de").check({ force: true })
    await page.getByText("Alle Projekte").waitFor()
    await shot("08-file-open-dark-de")
    await testId("back-to-projects").click()
    await testId("project-list").waitFor()
    await shot("09-projects-dark-de")
    await testId("language-en").check({ force: true })
    await testId("theme-toggle").click()

    // Errors show the server's message and code.
    await testId("new-project").click()
    await testId("create-name").fill("Moonbase")
    await testId("create-submit").click()
    await testId("create-error").waitFor()
    assert.equal(await testId("create-error-code").textContent(), "PROJECT_NAME_TAKEN")
    await shot("10-create-error")
    await page.keyboard.press("Escape")

    // Delete offers an undo; the trash restores.
    await testId("project-delete").click()
    await testId("toast-action").waitFor()
    await testId("projects-empty").waitFor()
    await shot("11-deleted-undo")
    await testId("toast-action").click()
    await testId("project-row").waitFor()
    await testId("project-delete").click()
    await testId("nav-trash").click()
    await testId("trash-row").waitFor()
    await shot("12-trash")
    await testId("project-restore").click()
    await testId("trash-empty").waitFor()
    await shot("13-trash-empty")
    await testId("nav-projects").click()

    await page.setViewportSize({ width: 390, height: 844 })
    await testId("project-list").waitFor()
    await shot("14-phone-projects")
    await testId("project-link").first().click()
    await treeEntry(page, "notes.md").click()
    await testId("editor-content").filter({ hasText: "# Notes" }).waitFor()
    await shot("15-phone-file")

    // Signing out shows the sign-in form; signing in again brings the page back.
    await page.setViewportSize({ width: 1280, height: 800 })
    await testId("sign-out").click()
    await signIn(page, { email: owner.email, password: "not the password" })
    assert.equal(await testId("auth-error").getAttribute("data-error-code"), "AUTH_INVALID")
    await shot("16-sign-in")
    await signIn(page, owner)
    // Back where the user was: the file they had open.
    await testId("editor-content").filter({ hasText: "# Notes" }).waitFor()
    await waitForLive(page)
  } finally {
    await run.close()
  }
})

async function waitForLive(page: Page): Promise<void> {
  await page.locator('[data-testid="connection-state"][data-state="open"]').waitFor()
}
