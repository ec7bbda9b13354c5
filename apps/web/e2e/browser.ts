// What the end-to-end tests share: where the built client and the screenshots are, and how Debian's
// Chromium is started (DESIGN.md: the flags these machines need; a fresh profile per context).
import assert from "node:assert/strict"
import { existsSync } from "node:fs"
import { mkdir } from "node:fs/promises"
import { join } from "node:path"
import { Config } from "@xionimus/config"
import { type BrowserContext, chromium, type Page } from "playwright-core"

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

/** The first owner's account, created through the setup form of a fresh server. */
export const owner = { email: "owner@example.test", password: "correct horse battery staple" }

/** Opens a fresh server's first-run form and creates the owner; ends on the (empty) project list. */
export async function setUpOwner(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await page.getByTestId("setup-form").waitFor()
  await page.getByTestId("auth-email").fill(owner.email)
  await page.getByTestId("auth-password").fill(owner.password)
  await page.getByTestId("auth-submit").click()
  await page.getByTestId("projects-empty").waitFor()
}

/** The browser's sign-in (session cookie and CSRF token) as SDK options, to prepare or check through the API. */
export async function apiAs(
  context: BrowserContext,
  url: string,
): Promise<{ baseUrl: string; headers: Record<string, string>; csrfToken: () => string | undefined }> {
  const cookies = await context.cookies(url)
  const cookie = cookies.map(({ name, value }) => `${name}=${value}`).join("; ")
  const csrf = cookies.find(({ name }) => name === "xionimus_csrf")?.value
  return { baseUrl: url, headers: { cookie }, csrfToken: () => csrf }
}

/**
 * The server's configuration for a browser test: its data under `dir`, serving the built client, and with
 * `mock` the mock provider as model `mock/coder` (tools, prices, a 128k window) — the real SDK path.
 */
export function e2eConfig(
  dir: string,
  options: { port?: number; mock?: { baseURLs: { compatible: string } } } = {},
): Config {
  return Config.parse({
    dataDir: join(dir, "data"),
    log: { level: "silent" },
    server: { host: "127.0.0.1", port: options.port ?? 0, webDir, shutdownTimeoutMs: 2000 },
    ...(options.mock
      ? {
          providers: {
            mock: { type: "openai-compatible", baseURL: options.mock.baseURLs.compatible, models: ["coder"] },
          },
          models: {
            default: "mock/coder",
            catalog: {
              "mock/coder": {
                // Reads images: an attached picture goes to the mock as an image part.
                capabilities: { tools: true, vision: true },
                prices: { input: 3, output: 15 },
                contextWindow: 128000,
              },
            },
          },
        }
      : {}),
  })
}
