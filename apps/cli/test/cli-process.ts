import { type ChildProcess, spawn } from "node:child_process"
import { mkdir, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { TestContext } from "node:test"
import { fileURLToPath } from "node:url"
import { startMockProvider } from "@xionimus/testing"
import { userConfigFile, writeText } from "./helpers.ts"

const bin = fileURLToPath(new URL("../bin/xionimus.js", import.meta.url))

export interface Finished {
  code: number | null
  stdout: string
  stderr: string
}

export interface CliProcess {
  child: ChildProcess
  finished: Promise<Finished>
  /** Resolves once stdout or stderr so far matches. */
  waitFor(pattern: RegExp): Promise<void>
}

/** A temp HOME (with a config naming the mock as the default model), a data dir and a project dir. */
export interface CliWorld {
  home: string
  dataDir: string
  project: string
  mock: Awaited<ReturnType<typeof startMockProvider>>
  env: Record<string, string>
  /** Spawns the real bin with this world's environment and `--data-dir`. */
  start(args: string[], options?: StartOptions): CliProcess
  run(args: string[], options?: StartOptions): Promise<Finished>
}

export interface StartOptions {
  cwd?: string
  /** Added to the world's environment. */
  env?: Record<string, string>
}

export const defaultModel = "openai/gpt-4.1-mini"

export async function createCliWorld(context: TestContext): Promise<CliWorld> {
  const root = await mkdtemp(join(tmpdir(), "xionimus-cli-run-"))
  context.after(() => rm(root, { recursive: true, force: true }))
  const home = join(root, "home")
  const dataDir = join(root, "data")
  const project = join(root, "my-project")
  await mkdir(home, { recursive: true })
  await mkdir(project, { recursive: true })
  const mock = await startMockProvider({ apiKey: "sk-cli-run-key-1234" })
  context.after(() => mock.close())
  // The real AI SDK path: the configured OpenAI provider, pointed at the mock.
  await writeText(userConfigFile(home), JSON.stringify({ models: { default: defaultModel } }))
  const env = {
    HOME: home,
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    OPENAI_API_KEY: "sk-cli-run-key-1234",
    OPENAI_BASE_URL: mock.baseURLs.openai,
    XIONIMUS_LOG_LEVEL: "silent",
  }
  function start(args: string[], options: StartOptions = {}): CliProcess {
    const [command = "", ...rest] = args
    const child = spawn(process.execPath, [bin, command, ...rest, "--data-dir", dataDir], {
      cwd: options.cwd ?? root,
      env: { ...env, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    })
    child.stdin?.end()
    let stdout = ""
    let stderr = ""
    const watchers = new Set<() => void>()
    const notify = () => {
      for (const watcher of watchers) watcher()
    }
    child.stdout?.on("data", (chunk) => {
      stdout += chunk
      notify()
    })
    child.stderr?.on("data", (chunk) => {
      stderr += chunk
      notify()
    })
    const finished = new Promise<Finished>((resolve) =>
      child.on("close", (code) => resolve({ code, stdout, stderr })),
    )
    return {
      child,
      finished,
      waitFor: (pattern) =>
        new Promise((resolve) => {
          const check = () => {
            if (!pattern.test(stdout) && !pattern.test(stderr)) return
            watchers.delete(check)
            resolve()
          }
          watchers.add(check)
          check()
        }),
    }
  }
  return { home, dataDir, project, mock, env, start, run: (args, options) => start(args, options).finished }
}

/** A streamed reply that calls write_file once. */
export function writeFileCall(path: string, content: string, id = "call_write_1") {
  return {
    type: "stream" as const,
    blocks: [
      {
        type: "tool-call" as const,
        id,
        name: "write_file",
        argumentChunks: [JSON.stringify({ path, content })],
      },
    ],
  }
}

/** A streamed text reply in a few chunks. */
export function textReply(...chunks: string[]) {
  return { type: "stream" as const, blocks: [{ type: "text" as const, chunks }] }
}
