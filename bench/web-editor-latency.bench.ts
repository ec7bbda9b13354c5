// Keystroke to screen in the web client's editor (CodeMirror 6 in Debian Chromium, the production build,
// the real server): from the keydown event to the first animation frame after CodeMirror put the character
// into the page (a MutationObserver on the editor's content, then requestAnimationFrame — the frame that
// paints it). Measured idle, and while an agent turn of the same project streams 1,000 text chunks (one per
// 10 ms through the mock provider: the real SDK path) to a chat open in a second tab of the same browser and
// the project's live events reach the editor's page. 150 keystrokes each, 25 ms apart.
// Run alone: `node bench/web-editor-latency.bench.ts` prints the figures as JSON.
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Config } from "@xionimus/config"
import { silentLogger } from "@xionimus/kit"
import { createClient, createSessionsClient } from "@xionimus/sdk"
import { startServer } from "@xionimus/server"
import { signInOwner, startMockProvider } from "@xionimus/testing"
import { type BrowserContext, chromium, type Page } from "playwright-core"
import type { Bench, BenchFigure } from "./lib.ts"
import { buildWeb, chromiumArgs, chromiumPath } from "./web-setup.ts"

const keystrokes = 150
const keyGapMs = 25
const streamChunks = 1000
const chunkDelayMs = 10

const instrument = `
  (() => {
    const content = document.querySelector(".cm-content")
    window.__latencies = []
    let started = null
    document.addEventListener("keydown", () => { started = performance.now() }, true)
    new MutationObserver(() => {
      if (started === null) return
      const from = started
      started = null
      requestAnimationFrame(() => window.__latencies.push(performance.now() - from))
    }).observe(content, { subtree: true, childList: true, characterData: true })
  })()
`

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

async function typeAndMeasure(page: Page): Promise<number[]> {
  await page.evaluate("window.__latencies = []")
  for (let index = 0; index < keystrokes; index++) {
    await page.keyboard.type(String.fromCharCode(97 + (index % 26)))
    await page.waitForTimeout(keyGapMs)
  }
  await page.waitForTimeout(200)
  return page.evaluate<number[]>("window.__latencies")
}

async function measure(): Promise<BenchFigure[]> {
  const webDir = await buildWeb()
  const dataDir = await mkdtemp(join(tmpdir(), "xionimus-bench-editor-"))
  const mock = await startMockProvider({ models: ["bench"] })
  const server = await startServer({
    config: Config.parse({
      dataDir,
      log: { level: "silent" },
      server: { host: "127.0.0.1", port: 0, webDir },
      providers: {
        mock: { type: "openai-compatible", baseURL: mock.baseURLs.compatible, models: ["bench"] },
      },
      models: { default: "mock/bench", catalog: { "mock/bench": { capabilities: { tools: true } } } },
    }),
    logger: silentLogger(),
  })
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true })
  let context: BrowserContext | undefined
  try {
    const owner = await signInOwner(server.url)
    const options = { baseUrl: server.url, headers: owner.headers }
    const client = createClient(options)
    const sessions = createSessionsClient(options)
    const project = await client.createProject({ name: "Editor latency" })
    const source = Array.from({ length: 200 }, (_, line) => `export const value${line} = ${line}\n`).join("")
    await client.writeFile(project.id, { path: "src/main.ts", content: source })
    const session = await sessions.create(project.id)

    context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
    const host = new URL(server.url).hostname
    await context.addCookies(
      owner.cookie.split("; ").map((pair) => {
        const at = pair.indexOf("=")
        return { name: pair.slice(0, at), value: pair.slice(at + 1), domain: host, path: "/" }
      }),
    )
    const page = await context.newPage()
    await page.goto(`${server.url}/#/projects/${project.id}/file/src/main.ts`)
    await page.locator(".cm-content").waitFor({ timeout: 60_000 })
    await page.evaluate(instrument)
    await page.locator(".cm-content").click()
    await page.keyboard.press("Control+End")
    await typeAndMeasure(page) // warm-up
    const idle = await typeAndMeasure(page)

    const chat = await context.newPage()
    await chat.goto(`${server.url}/#/projects/${project.id}/sessions/${session.id}`)
    await chat.getByTestId("chat-panel").waitFor({ timeout: 60_000 })
    mock.enqueue({
      type: "stream",
      blocks: [{ type: "text", chunks: Array.from({ length: streamChunks }, (_, index) => `word${index} `) }],
      delayMs: chunkDelayMs,
    })
    await sessions.send(session.id, { text: "Write a long answer" })
    await chat.getByTestId("assistant-text").first().waitFor({ timeout: 60_000 })
    await page.bringToFront()
    const streaming = await typeAndMeasure(page)
    const stillStreaming = await chat.getByTestId("turn-bar").count()

    const note = (samples: number[]) =>
      `${samples.length} keystrokes; p95 ${percentile(samples, 95).toFixed(1)} ms`
    return [
      {
        name: "editor keystroke to screen, p50",
        variant: "idle",
        value: percentile(idle, 50),
        unit: "ms",
        note: note(idle),
      },
      {
        name: "editor keystroke to screen, p50",
        variant: "while a turn streams",
        value: percentile(streaming, 50),
        unit: "ms",
        note: `${note(streaming)}; ${streamChunks} chunks every ${chunkDelayMs} ms to a chat in a second tab${stillStreaming ? "" : " (the stream ended before the last keystroke)"}`,
      },
    ]
  } finally {
    await context?.close()
    await browser.close()
    await server.close()
    await mock.close()
    await rm(dataDir, { recursive: true, force: true })
  }
}

const bench: Bench = {
  title: "Web client: editor keystroke latency",
  command: "node bench/web-editor-latency.bench.ts",
  run: measure,
}

export default bench

if (import.meta.main) console.log(JSON.stringify(await bench.run(), null, 2))
