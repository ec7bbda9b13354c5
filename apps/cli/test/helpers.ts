import { EventEmitter } from "node:events"
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { Writable } from "node:stream"
import type { TestContext } from "node:test"
import type { CliIo } from "../src/index.ts"

class TextSink extends Writable {
  text = ""
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString()
    this.emit("text")
    callback()
  }

  /** Resolves with the first match of `pattern` in what was written so far or later. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray> {
    return new Promise((resolve) => {
      const check = () => {
        const match = this.text.match(pattern)
        if (!match) return
        this.off("text", check)
        resolve(match)
      }
      this.on("text", check)
      check()
    })
  }
}

export interface TestIo {
  io: CliIo
  stdout: TextSink
  stderr: TextSink
  /** A fake home directory and a project directory (the working directory), inside `root`. */
  home: string
  cwd: string
  root: string
  /** Delivers a termination signal to whatever `io.onSignal` subscribed. */
  signal(name: NodeJS.Signals): void
  listenerCount(): number
}

/** An in-process io over a fresh temp directory (removed after the test); `env` adds to HOME and PATH. */
export async function createTestIo(context: TestContext, env: Record<string, string> = {}): Promise<TestIo> {
  const root = await mkdtemp(join(tmpdir(), "xionimus-cli-"))
  context.after(() => rm(root, { recursive: true, force: true }))
  const home = join(root, "home")
  const cwd = join(root, "project")
  await mkdir(home, { recursive: true })
  await mkdir(cwd, { recursive: true })
  const stdout = new TextSink()
  const stderr = new TextSink()
  const signals = new EventEmitter()
  const io: CliIo = {
    stdout,
    stderr,
    env: { HOME: home, PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
    cwd,
    onSignal(handler) {
      signals.on("signal", handler)
      return () => signals.off("signal", handler)
    },
  }
  return {
    io,
    stdout,
    stderr,
    home,
    cwd,
    root,
    signal: (name) => signals.emit("signal", name),
    listenerCount: () => signals.listenerCount("signal"),
  }
}

export async function writeText(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, text)
}

export function userConfigFile(home: string): string {
  return join(home, ".config", "xionimus", "config.json")
}

export function projectConfigFile(cwd: string): string {
  return join(cwd, ".xionimus", "config.json")
}
