// What the end-to-end tests share: where the built client and the screenshots are, and how Debian's
// Chromium is started (DESIGN.md: the flags these machines need; a fresh profile per context).
import assert from "node:assert/strict"
import { existsSync } from "node:fs"
import { mkdir } from "node:fs/promises"
import { join } from "node:path"
import { type BrowserContext, chromium } from "playwright-core"

const root = new URL("../../../", import.meta.url).pathname
/** XIONIMUS_WEB_DIST lets several builds (one per helper or worktree) live side by side. */
export const webDir = process.env.XIONIMUS_WEB_DIST ?? join(root, "apps/web/dist")
export const artifacts = join(root, ".test-artifacts/e2e")

const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
]

/** Fails with the fix when the client is not built; makes the screenshot folder. */
export async function prepareE2e(): Promise<void> {
  assert.ok(
    existsSync(join(webDir, "index.html")),
    `${webDir} is missing: run \`npm run build -w @xionimus/web\` first (with the same XIONIMUS_WEB_DIST)`,
  )
  await mkdir(artifacts, { recursive: true })
}

/** Chromium with a fresh profile in `profile`, light theme, English (or `locale`), a desktop viewport by default. */
export function launchBrowser(
  profile: string,
  viewport = { width: 1280, height: 860 },
  locale = "en-US",
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    args: chromiumArgs,
    headless: true,
    viewport,
    locale,
    colorScheme: "light",
  })
}
