import type { Env } from "@xionimus/config"

/** Everything a command touches outside itself, so that tests run commands in-process. */
export interface CliIo {
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WritableStream
  /** Read by commands that take a secret on stdin (`--password-stdin`); absent means empty. */
  stdin?: NodeJS.ReadableStream
  env: Env
  cwd: string
  /** Calls `handler` on SIGTERM and SIGINT until the returned function is called. */
  onSignal(handler: (signal: NodeJS.Signals) => void): () => void
}

const terminationSignals = ["SIGTERM", "SIGINT"] as const

/** The real process: its streams, environment, working directory and signals. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    onSignal(handler) {
      for (const signal of terminationSignals) process.on(signal, handler)
      return () => {
        for (const signal of terminationSignals) process.off(signal, handler)
      }
    },
  }
}

/** Writes one line. */
export function writeLine(stream: NodeJS.WritableStream, text = ""): void {
  stream.write(`${text}\n`)
}
