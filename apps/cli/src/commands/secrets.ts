import { AppError } from "@xionimus/kit"
import { type CliIo, writeLine } from "../cli-io.ts"
import { loadCliConfig } from "../load-cli-config.ts"

const units: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** `90m`, `24h`, `7d`, `0` → milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([smhd]?)$/.exec(text.trim())
  if (!match || (match[2] === "" && Number(match[1]) !== 0))
    throw new AppError(
      "VALIDATION_FAILED",
      `--grace takes a duration like 30m, 24h or 7d (or 0), not "${text}".`,
    )
  return Math.round(Number(match[1]) * (units[match[2]!] ?? 0))
}

interface SecretsModule {
  rotateSecretsKey(
    config: unknown,
    graceMs: number,
  ): Promise<{
    keyId: string
    retiring: { id: string; retireAt: string | null }[]
    reencrypted: number
    current: number
    raced: number
    failed: { kind: string; id: string }[]
  }>
  secretsKeyStatus(
    config: unknown,
    dataDir: string,
  ): {
    current: string
    keys: { id: string; current: boolean; createdAt: string | null; retireAt: string | null }[]
  }
}

/**
 * `xionimus secrets rotate [--grace 24h]`: a new secrets key becomes current, every stored secret is
 * sealed again with it, and the replaced keys keep opening old ciphertexts for the grace period.
 */
export async function secretsRotateCommand(
  options: { grace?: string; json?: boolean; dataDir?: string },
  io: CliIo,
): Promise<number> {
  const graceMs = parseDuration(options.grace ?? "24h")
  const { config } = await loadCliConfig(io, { dataDir: options.dataDir })
  const server = (await import("@xionimus/server")) as unknown as SecretsModule
  const result = await server.rotateSecretsKey(config, graceMs)
  if (options.json) {
    writeLine(io.stdout, JSON.stringify(result, null, 2))
  } else {
    writeLine(io.stdout, `new secrets key ${result.keyId} is current`)
    for (const key of result.retiring) writeLine(io.stdout, `key ${key.id} retires at ${key.retireAt}`)
    writeLine(
      io.stdout,
      `re-encrypted ${result.reencrypted} stored secrets (${result.current} already current, ${result.raced} changed meanwhile)`,
    )
    for (const failed of result.failed)
      writeLine(io.stderr, `cannot decrypt ${failed.kind} ${failed.id}: store it again`)
  }
  return result.failed.length > 0 ? 1 : 0
}

/** `xionimus secrets status`: the keys in force, which is current, and when the others retire. */
export async function secretsStatusCommand(
  options: { json?: boolean; dataDir?: string },
  io: CliIo,
): Promise<number> {
  const { config } = await loadCliConfig(io, { dataDir: options.dataDir })
  const server = (await import("@xionimus/server")) as unknown as SecretsModule
  const status = server.secretsKeyStatus(config, config.dataDir!)
  if (options.json) {
    writeLine(io.stdout, JSON.stringify(status, null, 2))
    return 0
  }
  for (const key of status.keys)
    writeLine(io.stdout, `${key.id}  ${key.current ? "current" : `retires ${key.retireAt ?? "never"}`}`)
  return 0
}
