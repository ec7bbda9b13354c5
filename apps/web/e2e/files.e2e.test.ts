// End to end: the file tree's operations in Debian's Chromium against the real server: create a file and
// a folder, a refused name, rename with F2, the context menu by mouse and by keyboard, "Move to…", drag and
// drop onto a folder, download a file and the project as a zip, delete with confirm and undo; then the
// manifest and the service worker (installable app shell).
// Screenshots go to .test-artifacts/e2e/files-*.png.
import assert from "node:assert/strict"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { test } from "node:test"
import { createClient } from "@xionimus/sdk"
import { apiAs, artifacts, setUpOwner, startE2e, treeEntry } from "./browser.ts"

test("the file tree: create, rename, move (menu and drag), download, delete with undo", async () => {
  const run = await startE2e("files")
  try {
    const page = await run.open("profile", { viewport: { width: 1280, height: 800 } })
    const shot = (name: string) => page.screenshot({ path: join(artifacts, `files-${name}.png`) })
    const testId = (id: string) => page.getByTestId(id)

    await setUpOwner(page, run.url)
    await testId("new-project").click()
    await testId("create-name").fill("Treehouse")
    await testId("create-submit").click()
    await testId("tree-empty").waitFor()
    const projectId = decodeURIComponent(page.url().split("/projects/")[1]!.split("/")[0]!)
    const api = createClient(await apiAs(page.context(), run.url))

    // A new file from the toolbar: named inline, created empty, opened.
    await testId("tree-new-file").click()
    await testId("tree-name-input").fill("readme.md")
    await shot("01-new-file")
    await testId("tree-name-input").press("Enter")
    await treeEntry(page, "readme.md").waitFor()
    await page.waitForURL(/\/file\/readme\.md$/)

    // A name with a slash is refused before the server is asked; Escape leaves no trace.
    await testId("tree-new-folder").click()
    await testId("tree-name-input").fill("a/b")
    await testId("tree-name-input").press("Enter")
    await testId("tree-name-error").waitFor()
    await shot("02-name-refused")
    await testId("tree-name-input").fill("src")
    await testId("tree-name-input").press("Enter")
    await treeEntry(page, "src").waitFor()
    assert.equal(await treeEntry(page, "src").getAttribute("data-type"), "directory")

    // A taken name shows the server's reason and code.
    await testId("tree-new-file").click()
    await testId("tree-name-input").fill("readme.md")
    await testId("tree-name-input").press("Enter")
    assert.equal(await testId("tree-name-error").getAttribute("data-error-code"), "FILE_EXISTS")
    await testId("tree-name-input").press("Escape")
    await testId("tree-name-input").waitFor({ state: "detached" })

    // Rename with F2 on the focused row; the open file follows its new name.
    await treeEntry(page, "readme.md").focus()
    await page.keyboard.press("F2")
    await testId("tree-name-input").fill("README.md")
    await testId("tree-name-input").press("Enter")
    await treeEntry(page, "README.md").waitFor()
    await page.waitForURL(/\/file\/README\.md$/)
    assert.equal(await treeEntry(page, "readme.md").count(), 0)

    // The context menu by keyboard: Shift+F10 opens it with the first item focused; arrows move; Escape
    // closes it and gives focus back to the row.
    await treeEntry(page, "README.md").focus()
    await page.keyboard.press("Shift+F10")
    await testId("tree-menu").waitFor()
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute("data-testid")),
      "tree-menu-open",
    )
    await page.keyboard.press("ArrowDown")
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute("data-testid")),
      "tree-menu-rename",
    )
    await shot("03-menu-keyboard")
    await page.keyboard.press("Escape")
    await testId("tree-menu").waitFor({ state: "detached" })
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-path")), "README.md")

    // "Move to…" from the right-click menu.
    await treeEntry(page, "README.md").click({ button: "right" })
    await testId("tree-menu-move").click()
    await testId("tree-move-input").fill("src")
    await shot("04-move-dialog")
    await testId("tree-move-submit").click()
    await testId("tree-move-dialog").waitFor({ state: "hidden" })
    await page.waitForURL(/\/file\/src\/README\.md$/)
    await treeEntry(page, "src/README.md").waitFor()
    assert.equal(await treeEntry(page, "README.md").count(), 0)

    // Drag and drop onto a folder.
    await api.createEntry(projectId, { path: "drag.txt", type: "file", content: "dragged bytes\n" })
    await treeEntry(page, "drag.txt").waitFor()
    await treeEntry(page, "drag.txt").dragTo(page.locator('[data-testid="tree-row"][data-path="src"]'))
    await treeEntry(page, "src/drag.txt").waitFor()
    assert.equal(await treeEntry(page, "drag.txt").count(), 0)
    assert.equal((await api.readFile(projectId, "src/drag.txt")).content, "dragged bytes\n")
    await shot("05-dragged")

    // Download one file from its menu ("…" button), and the whole project as a zip.
    await treeEntry(page, "src/drag.txt").hover()
    await page
      .locator('[data-testid="tree-row"][data-path="src/drag.txt"] [data-testid="tree-entry-menu"]')
      .click()
    const [fileDownload] = await Promise.all([
      page.waitForEvent("download"),
      testId("tree-menu-download").click(),
    ])
    assert.equal(fileDownload.suggestedFilename(), "drag.txt")
    assert.equal(await readFile(await fileDownload.path(), "utf8"), "dragged bytes\n")
    const [zipDownload] = await Promise.all([page.waitForEvent("download"), testId("download-zip").click()])
    assert.equal(zipDownload.suggestedFilename(), "Treehouse.zip")
    const zip = await readFile(await zipDownload.path())
    assert.equal(zip.subarray(0, 2).toString("latin1"), "PK")
    assert.ok(zip.includes("src/drag.txt"), "the zip lists src/drag.txt")
    assert.ok(zip.includes("src/README.md"), "the zip lists src/README.md")

    // Delete asks first; a file's delete can be undone from the toast.
    await treeEntry(page, "src/drag.txt").click({ button: "right" })
    await testId("tree-menu-delete").click()
    await testId("tree-delete-dialog").waitFor()
    await shot("06-delete-confirm")
    await testId("tree-delete-confirm").click()
    await treeEntry(page, "src/drag.txt").waitFor({ state: "detached" })
    await testId("toast-action").click()
    await treeEntry(page, "src/drag.txt").waitFor()
    assert.equal((await api.readFile(projectId, "src/drag.txt")).content, "dragged bytes\n")

    // A folder is deleted with the Delete key and everything in it goes.
    await treeEntry(page, "src").focus()
    await page.keyboard.press("Delete")
    await testId("tree-delete-confirm").click()
    await treeEntry(page, "src").waitFor({ state: "detached" })
    await testId("tree-empty").waitFor()
    assert.equal((await api.tree(projectId)).items.length, 0)
    await shot("07-deleted-folder")

    // On a phone, in German: the "…" button opens the same menu.
    await api.createEntry(projectId, { path: "notizen.md", type: "file", content: "# Notizen\n" })
    await page.setViewportSize({ width: 390, height: 844 })
    // A phone shows the tree or the open file: close the file first.
    await page.evaluate((id) => {
      window.location.hash = `#/projects/${id}`
    }, projectId)
    await testId("language-de").check({ force: true })
    await treeEntry(page, "notizen.md").waitFor()
    await page
      .locator('[data-testid="tree-row"][data-path="notizen.md"] [data-testid="tree-entry-menu"]')
      .click()
    assert.equal((await testId("tree-menu-rename").textContent())?.trim(), "Umbenennen")
    await shot("08-phone-menu-de")
    await page.keyboard.press("Escape")
    await testId("tree-menu").waitFor({ state: "detached" })
    await testId("language-en").check({ force: true })
    await page.setViewportSize({ width: 1280, height: 800 })

    // Installable: a manifest with maskable icons, and a service worker that caches the app shell (the
    // page and the fingerprinted assets) and never an /api answer.
    const manifest = (await (await fetch(`${run.url}/manifest.webmanifest`)).json()) as {
      icons: { src: string; sizes: string; purpose: string }[]
    }
    for (const icon of manifest.icons.filter((item) => item.purpose === "maskable"))
      assert.equal((await fetch(`${run.url}${icon.src}`)).headers.get("content-type"), "image/png")
    assert.ok(manifest.icons.some((icon) => icon.purpose === "maskable" && icon.sizes === "512x512"))
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
    await page.reload()
    await testId("file-tree").waitFor()
    await page.waitForFunction(async () => {
      const paths: string[] = []
      for (const name of await caches.keys())
        for (const request of await (await caches.open(name)).keys())
          paths.push(new URL(request.url).pathname)
      return paths.includes("/") && paths.some((path) => path.startsWith("/assets/"))
    })
    const cached = await page.evaluate(async () => {
      const paths: string[] = []
      for (const name of await caches.keys())
        for (const request of await (await caches.open(name)).keys())
          paths.push(new URL(request.url).pathname)
      return paths
    })
    assert.deepEqual(
      cached.filter((path) => path.startsWith("/api")),
      [],
      "no /api answer is cached",
    )
  } finally {
    await run.close()
  }
})
