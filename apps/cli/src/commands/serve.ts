import { createLogger } from "@xionimus/kit"
import { type CliIo, writeLine } from "../cli-io.ts"
import { formatError } from "../format-error.ts"
import { loadCliConfig } from "../load-cli-config.ts"
import { loadServer } from "../server-module.ts"

export interface ServeOptions {
  port?: string
  host?: string
  dataDir?: string
  logLevel?: string
}

/**
 * `xionimus serve`: validates the configuration before touching any data, starts the server, and
 * on the first SIGTERM or SIGINT closes it and returns 0. Later signals while closing are ignored:
 * one Ctrl-C under `npm start` arrives twice (from the terminal and forwarded by the script), and
 * close() is bounded by server.shutdownTimeoutMs anyway.
 */
export async function serveCommand(options: ServeOptions, io: CliIo): Promise<number> {
  const { config } = await loadCliConfig(io, options)
  const server = await loadServer()
  const pretty =
    config.log.format === "pretty" ||
    (config.log.format === "auto" && (io.stdout as { isTTY?: boolean }).isTTY === true)
  const logger = createLogger({
    level: config.log.level,
    name: "xionimus",
    destination: io.stdout,
    format: pretty ? "pretty" : "json",
  })
  const running = await server.startServer({ config, logger })
  // Handlers go in before the URL is printed: whoever waits for the URL may signal at once.
  return new Promise<number>((resolve) => {
    let closing = false
    const stop = io.onSignal((signal) => {
      if (closing) return
      closing = true
      writeLine(io.stderr, `${signal}: shutting down`)
      running.close().then(
        () => {
          stop()
          resolve(0)
        },
        (error: unknown) => {
          stop()
          io.stderr.write(formatError(error))
          resolve(1)
        },
      )
    })
    writeLine(io.stdout, `Xionimus is running at ${running.url}`)
  })
}
