// Copies the current screenshots of the main screens from the browser tests' artifacts
// (.test-artifacts/e2e, written by `npm test`) into docs/screenshots/, which the README shows.
// Run after the browser tests: `node scripts/update-screenshots.ts`.
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from "node:fs"
import { join } from "node:path"

const root = new URL("..", import.meta.url).pathname
const artifacts = join(root, ".test-artifacts/e2e")
const target = join(root, "docs/screenshots")

/** docs/screenshots/<name>.png ← the newest artifact whose file name matches. */
const wanted: [name: string, pattern: RegExp][] = [
  ["journey-provider", /^journey-en-\d+-provider\.png$/],
  ["journey-approval", /^journey-en-\d+-approval\.png$/],
  ["journey-diff", /^journey-en-\d+-diff\.png$/],
  ["journey-code-block", /^journey-en-\d+-code-block\.png$/],
  ["journey-rewind", /^journey-en-\d+-rewind-preview\.png$/],
  ["journey-shared", /^journey-en-\d+-shared\.png$/],
  ["journey-german", /^journey-de-\d+-approval\.png$/],
  ["journey-phone", /^journey-phone-03-answer\.png$/],
  ["editor", /^editor-02-typed\.png$/],
  ["editor-conflict", /^editor-04-compare\.png$/],
  ["editor-dark", /^editor-08-dark\.png$/],
  ["workspace-terminal", /^workspace-02-terminal\.png$/],
  ["workspace-activity", /^workspace-07-activity\.png$/],
  ["files-menu", /^files-03-menu-keyboard\.png$/],
  ["palette", /^commands-01-palette\.png$/],
  ["slash-commands", /^commands-02-slash-menu\.png$/],
  ["settings-providers", /^settings-a-03-provider-ok\.png$/],
  ["settings-usage", /^settings-a-06-usage\.png$/],
  ["settings-profile", /^settings-b-01-profile\.png$/],
  ["settings-audit", /^settings-b-12-audit\.png$/],
  ["orchestra-run", /^orchestra-04-review-gate\.png$/],
  ["orchestra-run-phone", /^orchestra-09-phone\.png$/],
]

if (!existsSync(artifacts)) {
  console.error(`${artifacts} is missing: run the browser tests first (npm test).`)
  process.exit(1)
}
mkdirSync(target, { recursive: true })
const files = readdirSync(artifacts)
const missing: string[] = []
for (const [name, pattern] of wanted) {
  const newest = files
    .filter((file) => pattern.test(file))
    .sort((a, b) => statSync(join(artifacts, b)).mtimeMs - statSync(join(artifacts, a)).mtimeMs)[0]
  if (!newest) {
    missing.push(name)
    continue
  }
  copyFileSync(join(artifacts, newest), join(target, `${name}.png`))
  console.log(`${name}.png ← ${newest}`)
}
if (missing.length > 0) console.warn(`no artifact for: ${missing.join(", ")}`)
