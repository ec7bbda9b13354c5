import type { Store } from "@xionimus/store"
import { isSealed, type KeyringBox } from "./keyring-box.ts"

export interface ReencryptOutcome {
  /** Ciphertexts sealed again with the current key (TOTP secrets stored readable are sealed for the first time). */
  reencrypted: number
  /** Already under the current key. */
  current: number
  /** Changed by someone else meanwhile (they are sealed with whatever key that writer had). */
  raced: number
  /** Could not be opened with any key in force: `{ kind, id }` to store again. */
  failed: { kind: string; id: string }[]
}

/** Seals every stored secret (provider keys, TOTP secrets) with the keyring's current key. */
export async function reencryptSecrets(store: Store, box: KeyringBox): Promise<ReencryptOutcome> {
  const outcome: ReencryptOutcome = { reencrypted: 0, current: 0, raced: 0, failed: [] }
  for (const secret of await store.accountPolicies.sealedSecrets()) {
    if (box.isCurrent(secret.ciphertext)) {
      outcome.current++
      continue
    }
    let plaintext: string
    try {
      // TOTP secrets from before encryption at rest are stored as they are.
      plaintext =
        secret.kind === "totp-secret" && !isSealed(secret.ciphertext)
          ? secret.ciphertext
          : box.open(secret.ciphertext, secret.context)
    } catch {
      outcome.failed.push({ kind: secret.kind, id: secret.id })
      continue
    }
    if (await store.accountPolicies.replaceSealed(secret, box.seal(plaintext, secret.context)))
      outcome.reencrypted++
    else outcome.raced++
  }
  return outcome
}
