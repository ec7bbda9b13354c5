import { AppError } from "@xionimus/kit"
import { type CliIo, writeLine } from "../cli-io.ts"
import { openCliAccounts, operator } from "../open-cli-accounts.ts"

const scopes = ["read", "write", "admin"] as const
type Scope = (typeof scopes)[number]

export interface ApiKeyCreateOptions {
  user: string
  scope: string
  name?: string
  expires?: string
  dataDir?: string
}

/** `xionimus api-key create`: prints what the key is, then the key alone on the last line (shown once). */
export async function apiKeyCreateCommand(options: ApiKeyCreateOptions, io: CliIo): Promise<number> {
  if (!(scopes as readonly string[]).includes(options.scope)) {
    throw new AppError("VALIDATION_FAILED", `--scope must be read, write or admin, not "${options.scope}".`)
  }
  const days = options.expires === undefined ? undefined : Number(options.expires)
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 3650)) {
    throw new AppError(
      "VALIDATION_FAILED",
      `--expires takes a whole number of days from 1 to 3650, not "${options.expires}".`,
    )
  }
  const accounts = await openCliAccounts(io, options.dataDir)
  try {
    const user = await accounts.auth.findUserByEmail(options.user)
    const { apiKey, secret } = await accounts.auth.createApiKey(
      {
        userId: user.id,
        name: options.name ?? "CLI key",
        scope: options.scope as Scope,
        ...(days ? { expiresInDays: days } : {}),
      },
      operator,
    )
    writeLine(
      io.stdout,
      `created API key ${apiKey.id} "${apiKey.name}" for ${user.email}, scope ${apiKey.scope}, ` +
        `${apiKey.expiresAt ? `expires ${apiKey.expiresAt}` : "no expiry"}. It is shown only now:`,
    )
    writeLine(io.stdout, secret)
    return 0
  } finally {
    await accounts.close()
  }
}

/** `xionimus api-key list`: keys (never their secrets), of one user or all. */
export async function apiKeyListCommand(
  options: { user?: string; json?: boolean; dataDir?: string },
  io: CliIo,
): Promise<number> {
  const accounts = await openCliAccounts(io, options.dataDir)
  try {
    const userId = options.user ? (await accounts.auth.findUserByEmail(options.user)).id : undefined
    const keys = await accounts.auth.listApiKeys(userId)
    if (options.json) {
      writeLine(io.stdout, JSON.stringify(keys, null, 2))
      return 0
    }
    if (keys.length === 0) writeLine(io.stdout, "no API keys")
    for (const key of keys) {
      const state = key.revokedAt
        ? `revoked ${key.revokedAt}`
        : key.expiresAt
          ? `expires ${key.expiresAt}`
          : "active"
      writeLine(
        io.stdout,
        `${key.id}  ${key.prefix}…  ${key.scope}  "${key.name}"  user ${key.userId}  ${state}  last used ${key.lastUsedAt ?? "never"}`,
      )
    }
    return 0
  } finally {
    await accounts.close()
  }
}

/** `xionimus api-key revoke <id>`. */
export async function apiKeyRevokeCommand(
  id: string,
  options: { dataDir?: string },
  io: CliIo,
): Promise<number> {
  const accounts = await openCliAccounts(io, options.dataDir)
  try {
    const key = await accounts.auth.revokeApiKey(id, operator)
    writeLine(io.stdout, `revoked ${key.id} (${key.prefix}…)`)
    return 0
  } finally {
    await accounts.close()
  }
}
