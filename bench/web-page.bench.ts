// The web client in Debian Chromium on localhost (the real server over the production build, a signed-in
// owner; each run in a fresh browser context, so the HTTP cache and the service worker start cold):
// - the project page (file tree of a 20-file project): first contentful paint (Paint Timing API) and time
//   to interactive, here the later of "the tree's entries are in the page" and the end of the last long
//   task (> 50 ms, Long Tasks API) in the 3 s after load;
// - a 2,000-message session (1,000 questions and answers, imported through the API): from navigation
//   until its last answer is on screen (app start, reading the log over HTTP, folding, rendering), and the
//   part of it after the log's last page arrived (Resource Timing), which is folding and rendering alone.
// Median of 5 runs each. Targets (issue 7): FCP < 1 s, TTI < 2 s, 2,000 messages < 500 ms.
// Run alone: `node bench/web-page.bench.ts` prints the figures as JSON.
import { type Browser, chromium } from "playwright-core"
import type { Bench, BenchFigure } from "./lib.ts"
import {
  buildWeb,
  chromiumArgs,
  chromiumPath,
  lastAnswer,
  longSessionMessages,
  median,
  startWebFixture,
  type WebFixture,
} from "./web-setup.ts"

const runs = 5
const quietWindowMs = 3000

// Runs in the page before its scripts: records long tasks and when the watched text first appears.
const observerScript = `
  window.__bench = { longTasks: [], seen: {} };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__bench.longTasks.push(entry.startTime + entry.duration);
  }).observe({ type: "longtask", buffered: true });
  const watch = () => {
    const targets = window.__benchTargets || {};
    for (const [name, check] of Object.entries(targets))
      if (!(name in window.__bench.seen) && check()) window.__bench.seen[name] = performance.now();
  };
  new MutationObserver(watch).observe(document, { childList: true, subtree: true, characterData: true });
`

async function withPage<T>(
  browser: Browser,
  fixture: WebFixture,
  targets: string,
  use: (page: import("playwright-core").Page) => Promise<T>,
): Promise<T> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: "en-US" })
  try {
    const host = new URL(fixture.url).hostname
    await context.addCookies(fixture.cookies.map((cookie) => ({ ...cookie, domain: host, path: "/" })))
    await context.addInitScript(`${targets}\n${observerScript}`)
    return await use(await context.newPage())
  } finally {
    await context.close()
  }
}

async function projectPage(browser: Browser, fixture: WebFixture): Promise<{ fcp: number; tti: number }> {
  const targets = `window.__benchTargets = { tree: () => !!document.querySelector('[data-testid="tree-entry"]') };`
  return withPage(browser, fixture, targets, async (page) => {
    await page.goto(`${fixture.url}/#/projects/${fixture.projectId}`)
    await page.getByTestId("tree-entry").first().waitFor({ timeout: 120_000 })
    await page.waitForTimeout(quietWindowMs)
    return page.evaluate(() => {
      const bench = (
        globalThis as unknown as { __bench: { longTasks: number[]; seen: Record<string, number> } }
      ).__bench
      const fcp = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? Number.NaN
      const tree = bench.seen.tree ?? Number.NaN
      return { fcp, tti: Math.max(tree, ...bench.longTasks.filter((end) => end <= tree + 3000)) }
    })
  })
}

async function longSession(
  browser: Browser,
  fixture: WebFixture,
): Promise<{ total: number; render: number }> {
  const targets = `window.__benchTargets = { last: () => [...document.querySelectorAll('[data-testid="assistant-text"]')].some((element) => element.textContent.includes(${JSON.stringify(lastAnswer)})) };`
  return withPage(browser, fixture, targets, async (page) => {
    await page.goto(`${fixture.url}/#/projects/${fixture.projectId}/sessions/${fixture.longSessionId}`)
    // Generous: these shared machines are sometimes loaded far beyond their two cores.
    await page.waitForFunction(
      () =>
        Boolean((globalThis as unknown as { __bench: { seen: Record<string, number> } }).__bench.seen.last),
      undefined,
      { timeout: 120_000 },
    )
    return page.evaluate(() => {
      const seen = (globalThis as unknown as { __bench: { seen: Record<string, number> } }).__bench.seen.last!
      const logPages = performance
        .getEntriesByType("resource")
        .filter((entry) => /\/api\/sessions\/[^/]+\/events/.test(entry.name)) as unknown as {
        name: string
        responseEnd: number
      }[]
      const lastPage = Math.max(...logPages.map((entry) => entry.responseEnd))
      return { total: seen, render: seen - lastPage }
    })
  })
}

export async function measurePages(): Promise<BenchFigure[]> {
  const fixture = await startWebFixture(await buildWeb())
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true })
  try {
    const project: { fcp: number; tti: number }[] = []
    const session: { total: number; render: number }[] = []
    for (let run = 0; run < runs; run++) {
      project.push(await projectPage(browser, fixture))
      session.push(await longSession(browser, fixture))
    }
    const fcp = median(project.map((run) => run.fcp))
    const tti = median(project.map((run) => run.tti))
    const total = median(session.map((run) => run.total))
    const render = median(session.map((run) => run.render))
    return [
      {
        name: "project page",
        variant: "first contentful paint",
        value: fcp,
        unit: "ms",
        note: `median of ${runs}; target < 1,000 ms`,
      },
      {
        name: "project page",
        variant: "time to interactive",
        value: tti,
        unit: "ms",
        note: `median of ${runs}; target < 2,000 ms`,
      },
      {
        name: `${longSessionMessages.toLocaleString("en-US")}-message session`,
        variant: "navigation → last answer on screen",
        value: total,
        unit: "ms",
        note: `median of ${runs}; app start + log over HTTP + fold + render`,
      },
      {
        name: `${longSessionMessages.toLocaleString("en-US")}-message session`,
        variant: "log received → last answer on screen",
        value: render,
        unit: "ms",
        note: `median of ${runs}; fold + render (windowed transcript); target < 500 ms`,
      },
    ]
  } finally {
    await browser.close()
    await fixture.dispose()
  }
}

const bench: Bench = {
  title: "Web client: page timings in Chromium (localhost)",
  command: "npm run bench -- web-page",
  run: measurePages,
}
export default bench

if (import.meta.main) console.log(JSON.stringify(await measurePages(), null, 2))
