import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import type { TestContext } from "node:test"

/** A temp directory holding a fake home and a project directory; removed when the test ends. */
export async function makeSandbox(
  context: TestContext,
): Promise<{ home: string; cwd: string; root: string }> {
  const root = await mkdtemp(join(tmpdir(), "xionimus-config-"))
  context.after(() => rm(root, { recursive: true, force: true }))
  const home = join(root, "home")
  const cwd = join(root, "project")
  await mkdir(home, { recursive: true })
  await mkdir(cwd, { recursive: true })
  return { home, cwd, root }
}

export async function writeText(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, text)
}

export async function writeJson(file: string, value: unknown): Promise<void> {
  await writeText(file, JSON.stringify(value, null, 2))
}

export function userFile(home: string): string {
  return join(home, ".config", "xionimus", "config.json")
}

export function projectFile(cwd: string): string {
  return join(cwd, ".xionimus", "config.json")
}
