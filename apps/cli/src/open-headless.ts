import type { Config } from "@xionimus/config"
import { AppError } from "@xionimus/kit"
import type { HeadlessSessions, HeadlessSessionsOptions } from "@xionimus/server"
import { type CliIo, writeLine } from "./cli-io.ts"

/** The usage error of one command's own checks: printed like the parser's, exit code 2. */
export function usageError(io: CliIo, message: string): number {
  writeLine(io.stderr, `error USAGE: ${message}`)
  writeLine(io.stderr, "Run `xionimus <command> --help` for usage.")
  return 2
}

/**
 * Opens sessions over the configured data directory in this process (importing the server only for
 * the commands that need it): `run` and `sessions`.
 */
export async function openHeadless(
  config: Config,
  io: CliIo,
  options: Pick<HeadlessSessionsOptions, "mode"> = {},
): Promise<HeadlessSessions> {
  const server: { openHeadlessSessions?: (options: HeadlessSessionsOptions) => Promise<HeadlessSessions> } =
    await import("@xionimus/server")
  if (!server.openHeadlessSessions) {
    throw new AppError(
      "INTERNAL",
      "This build of @xionimus/server lacks openHeadlessSessions; reinstall Xionimus.",
    )
  }
  return server.openHeadlessSessions({ config, env: io.env, ...options })
}
