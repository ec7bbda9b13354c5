import type { Config } from "@xionimus/config"
import { openAccounts } from "../auth/open-accounts.ts"
import type { ServiceOptions } from "../services.ts"
import { createKeyringBox } from "./keyring-box.ts"
import { type ReencryptOutcome, reencryptSecrets } from "./reencrypt.ts"
import { loadKeyring, rotateKeyring } from "./secrets-keyring.ts"

export interface SecretsKeyStatus {
  current: string
  keys: { id: string; current: boolean; createdAt: string | null; retireAt: string | null }[]
}

const operator = { actorUserId: null, actorKeyId: null, ip: null, userAgent: "xionimus-cli" }

/**
 * `xionimus secrets rotate`: a new secrets key becomes current (running servers follow the keyring file),
 * every stored secret is sealed again with it, and the keys it replaces keep opening older ciphertexts
 * for `graceMs` (a server that sealed with the old key meanwhile), then are dropped. Audited.
 */
export async function rotateSecretsKey(
  config: Config,
  graceMs: number,
  options: ServiceOptions = {},
): Promise<ReencryptOutcome & { keyId: string; retiring: { id: string; retireAt: string | null }[] }> {
  const accounts = await openAccounts(config, options)
  try {
    const now = new Date()
    const rotated = rotateKeyring(config.secretsKey, accounts.dataDir, graceMs, now)
    // Re-encryption sees the keyring as of just before the replaced keys retire (a grace of 0 included).
    const box = createKeyringBox(config.secretsKey, accounts.dataDir, () => new Date(now.getTime() - 1))
    const outcome = await reencryptSecrets(accounts.store, box)
    const retiring = rotated.retiring.map((entry) => ({ id: entry.id, retireAt: entry.retireAt }))
    await accounts.auth.audit({
      action: "secrets.rotated",
      outcome: outcome.failed.length > 0 ? "failure" : "success",
      ...operator,
      target: rotated.current.id,
      details: {
        retiring,
        dropped: rotated.dropped,
        reencrypted: outcome.reencrypted,
        failed: outcome.failed,
      },
    })
    return { keyId: rotated.current.id, retiring, ...outcome }
  } finally {
    await accounts.close()
  }
}

/** The keys in force: which is current, and when the others retire. */
export function secretsKeyStatus(config: Config, dataDir: string): SecretsKeyStatus {
  const keyring = loadKeyring(config.secretsKey, dataDir)
  return {
    current: keyring.current.id,
    keys: keyring.keys.map((entry) => ({
      id: entry.id,
      current: entry === keyring.current,
      createdAt: entry.createdAt || null,
      retireAt: entry.retireAt,
    })),
  }
}
