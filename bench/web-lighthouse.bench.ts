// Lighthouse 13 (the npm package, driving Debian Chromium with DESIGN.md's flags) on the project page
// (signed in: the owner's cookie goes with every request) and the read-only shared-session page of a
// 2,000-message session, with Lighthouse's desktop settings (localhost, no network throttling beyond its
// simulated desktop profile). Scores are 0–100 for performance, accessibility and best practices; audits
// that fail are listed in the note. The JSON reports go to .test-artifacts/lighthouse/.
// Target (issue 7): each >= 90.
// Run alone: `node bench/web-lighthouse.bench.ts` prints the figures as JSON.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as chromeLauncher from "chrome-launcher"
import lighthouse from "lighthouse"
import desktopConfig from "lighthouse/core/config/desktop-config.js"
import type { Bench, BenchFigure } from "./lib.ts"
import { buildWeb, chromiumArgs, chromiumPath, startWebFixture } from "./web-setup.ts"

const root = new URL("..", import.meta.url).pathname
const categories = ["performance", "accessibility", "best-practices"] as const

interface Audit {
  id: string
  title: string
  score: number | null
  scoreDisplayMode: string
}
interface Category {
  score: number | null
  auditRefs: { id: string; weight: number }[]
}

/** Lighthouse's own trace sometimes misses the navigation (NO_NAVSTART, "run Lighthouse again"): once more. */
async function audit(
  name: string,
  url: string,
  headers: Record<string, string>,
): Promise<{ scores: Record<string, number>; failing: Record<string, string[]> }> {
  try {
    return await auditOnce(name, url, headers)
  } catch (error) {
    if (!(error instanceof Error) || !/NO_NAVSTART|NO_FCP/.test(error.message)) throw error
    return auditOnce(name, url, headers)
  }
}

async function auditOnce(
  name: string,
  url: string,
  headers: Record<string, string>,
): Promise<{ scores: Record<string, number>; failing: Record<string, string[]> }> {
  const profile = await mkdtemp(join(tmpdir(), "xionimus-bench-lighthouse-"))
  const chrome = await chromeLauncher.launch({
    chromePath: chromiumPath,
    chromeFlags: chromiumArgs,
    userDataDir: profile,
    logLevel: "silent",
  })
  try {
    const result = await lighthouse(
      url,
      { port: chrome.port, output: "json", logLevel: "error", extraHeaders: headers },
      { ...desktopConfig, settings: { ...desktopConfig.settings, onlyCategories: [...categories] } },
    )
    if (!result) throw new Error(`Lighthouse returned nothing for ${url}`)
    const reportDir = join(root, ".test-artifacts/lighthouse")
    await mkdir(reportDir, { recursive: true })
    await writeFile(join(reportDir, `${name}.json`), result.report as string)
    const lhr = result.lhr as unknown as {
      categories: Record<string, Category>
      audits: Record<string, Audit>
      runtimeError?: { code: string; message: string }
    }
    if (lhr.runtimeError)
      throw new Error(`Lighthouse on ${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`)
    const scores: Record<string, number> = {}
    const failing: Record<string, string[]> = {}
    for (const category of categories) {
      const entry = lhr.categories[category]!
      scores[category] = Math.round((entry.score ?? 0) * 100)
      failing[category] = entry.auditRefs
        .map((ref) => lhr.audits[ref.id]!)
        .filter(
          (item) => item.scoreDisplayMode !== "notApplicable" && item.scoreDisplayMode !== "informative",
        )
        .filter((item) => item.score !== null && item.score < 0.9 && item.scoreDisplayMode !== "manual")
        .map((item) => item.id)
    }
    return { scores, failing }
  } finally {
    chrome.kill()
    await rm(profile, { recursive: true, force: true })
  }
}

export async function measureLighthouse(): Promise<BenchFigure[]> {
  const fixture = await startWebFixture(await buildWeb())
  try {
    const pages: { name: string; label: string; url: string; headers: Record<string, string> }[] = [
      {
        name: "project-page",
        label: "project page",
        url: `${fixture.url}/#/projects/${fixture.projectId}`,
        headers: { cookie: fixture.cookie },
      },
      { name: "shared-session", label: "shared-session page", url: fixture.shareUrl, headers: {} },
    ]
    const figures: BenchFigure[] = []
    for (const page of pages) {
      const { scores, failing } = await audit(page.name, page.url, page.headers)
      for (const category of categories)
        figures.push({
          name: `Lighthouse ${category}`,
          variant: page.label,
          value: scores[category]!,
          unit: "/ 100",
          note:
            failing[category]!.length > 0
              ? `below 0.9: ${failing[category]!.join(", ")}`
              : "no audit below 0.9",
        })
    }
    return figures
  } finally {
    await fixture.dispose()
  }
}

const bench: Bench = {
  title: "Web client: Lighthouse (desktop settings, Debian Chromium)",
  command: "npm run bench -- web-lighthouse",
  run: measureLighthouse,
}
export default bench

if (import.meta.main) console.log(JSON.stringify(await measureLighthouse(), null, 2))
