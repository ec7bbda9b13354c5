import { type Logger, type LoggerOptions, pino } from "pino"
import { prettyLogStream } from "./pretty-log.ts"

export type { Logger }

/** Keys whose values never reach a log line. */
export const redactedKeys = [
  "apiKey",
  "password",
  "secret",
  "token",
  "authorization",
  "cookie",
  "databaseUrl",
  "redisUrl",
]

export interface LoggerConfig {
  level?: LoggerOptions["level"]
  name?: string
  /** Where lines go; defaults to stdout. Tests pass a stream to read them back. */
  destination?: NodeJS.WritableStream
  /** "pretty" writes lines for people (colours when the destination is a terminal); default "json". */
  format?: "json" | "pretty"
}

export function createLogger(config: LoggerConfig = {}): Logger {
  const paths = redactedKeys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `req.headers.${key}`])
  const options: LoggerOptions = {
    level: config.level ?? "info",
    redact: { paths, censor: "[redacted]" },
    ...(config.name ? { name: config.name } : {}),
  }
  if (config.format === "pretty") {
    const destination = config.destination ?? process.stdout
    const colour = (destination as { isTTY?: boolean }).isTTY === true && !process.env.NO_COLOR
    return pino(options, prettyLogStream(destination, colour))
  }
  return config.destination ? pino(options, config.destination) : pino(options)
}

/** A logger that drops everything (tests, library defaults). */
export function silentLogger(): Logger {
  return pino({ level: "silent" })
}
