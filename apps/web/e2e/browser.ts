// What the end-to-end tests share: where the built client and the screenshots are, and how Debian's
// Chromium is started (DESIGN.md: the flags these machines need; a fresh profile per context).
import assert from "node:assert/strict"
import { existsSync } from "node:fs"
import { mkdir, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Config, type ConfigInput } from "@xionimus/config"
import { silentLogger } from "@xionimus/kit"
import { type RunningServer, startServer } from "@xionimus/server"
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

/** The context's first tab (a persistent context opens with one), or a new one. */
export async function firstPage(context: BrowserContext): Promise<Page> {
  return context.pages()[0] ?? (await context.newPage())
}

/** A row of the file tree by its path (a file or a folder). */
export function treeEntry(page: Page, path: string) {
  return page.locator(`[data-testid="tree-entry"][data-path="${path}"]`)
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

/**
 * Fills the sign-in form the page shows (waiting for it) and sends it; the caller waits for where it lands
 * (a project list, a second-factor prompt, an error).
 */
export async function signIn(
  page: Page,
  account: { email: string; password: string } = owner,
): Promise<void> {
  await page.getByTestId("sign-in-form").waitFor()
  await page.getByTestId("auth-email").fill(account.email)
  await page.getByTestId("auth-password").fill(account.password)
  await page.getByTestId("auth-submit").click()
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

/** The mock provider's model as the catalog knows it: tools, images, prices, a 128k window. */
const mockCatalog = {
  "mock/coder": {
    // Reads images: an attached picture goes to the mock as an image part.
    capabilities: { tools: true, vision: true },
    prices: { input: 3, output: 15 },
    contextWindow: 128000,
  },
}

export interface E2eServerOptions {
  /** 0 (a free port) unless a restarted server must come back where the page expects it. */
  port?: number
  /** The mock provider, configured as provider `mock` with `mock/coder` the default model — the real SDK path. */
  mock?: { baseURLs: { compatible: string } }
  /** Only the catalog entry of `mock/coder`, for a test that adds the provider itself (through the form). */
  mockCatalog?: boolean
  quotas?: ConfigInput["quotas"]
}

/** The server's configuration for a browser test: its data under `dir`, serving the built client. */
export function e2eConfig(dir: string, options: E2eServerOptions = {}): Config {
  return Config.parse({
    dataDir: join(dir, "data"),
    log: { level: "silent" },
    server: { host: "127.0.0.1", port: options.port ?? 0, webDir, shutdownTimeoutMs: 2000 },
    ...(options.mock
      ? {
          providers: {
            mock: { type: "openai-compatible", baseURL: options.mock.baseURLs.compatible, models: ["coder"] },
          },
          models: { default: "mock/coder", catalog: mockCatalog },
        }
      : options.mockCatalog
        ? { models: { catalog: mockCatalog } }
        : {}),
    ...(options.quotas ? { quotas: options.quotas } : {}),
  })
}

/** The real server on `e2eConfig(dir, options)`, silent; the same `dir` and port bring a stopped one back. */
export function startE2eServer(dir: string, options: E2eServerOptions = {}): Promise<RunningServer> {
  return startServer({ config: e2eConfig(dir, options), logger: silentLogger() })
}

/** One browser test's world: a temp dir, the real server on it, browsers with their own profiles. */
export interface E2eRun {
  readonly dir: string
  /** The server's address; it stays the same across `restart`. */
  readonly url: string
  readonly server: RunningServer
  /** A new browser with a fresh profile `name` under `dir` (desktop, English, light) and its first tab. */
  open(
    name: string,
    options?: { viewport?: { width: number; height: number }; locale?: string },
  ): Promise<Page>
  /** Stops the server, runs `whileDown` (what the pages show meanwhile), starts it on the same port and data. */
  restart(whileDown?: () => Promise<void>): Promise<void>
  /** Closes every browser opened here and the server, and removes `dir`. */
  close(): Promise<void>
}

/**
 * Checks the build (`prepareE2e`), makes a temp dir named after `name` and starts the server on it
 * (`startE2eServer` with `options`). Call `close()` in a `finally`.
 */
export async function startE2e(name: string, options: E2eServerOptions = {}): Promise<E2eRun> {
  await prepareE2e()
  const dir = await mkdtemp(join(tmpdir(), `xionimus-${name}-e2e-`))
  let server = await startE2eServer(dir, options)
  const contexts: BrowserContext[] = []
  return {
    dir,
    url: server.url,
    get server() {
      return server
    },
    async open(profile, { viewport, locale } = {}) {
      const context = await launchBrowser(join(dir, profile), viewport, locale)
      contexts.push(context)
      return firstPage(context)
    },
    async restart(whileDown) {
      const port = Number(new URL(server.url).port)
      await server.close()
      await whileDown?.()
      server = await startE2eServer(dir, { ...options, port })
    },
    async close() {
      for (const context of contexts) await context.close()
      await server.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
