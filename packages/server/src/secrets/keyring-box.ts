import { AppError } from "@xionimus/kit"
import { createSecretBox, type SecretBox } from "@xionimus/llm"
import { type Keyring, keyringVersion, loadKeyring } from "./secrets-keyring.ts"

/** A SecretBox over the keyring: seals with the current key, opens with whichever key a ciphertext names. */
export interface KeyringBox extends SecretBox {
  /** The id of the key new ciphertexts are sealed with. */
  currentKeyId(): string
  /** Whether the ciphertext is sealed with the current key (re-encryption skips those). */
  isCurrent(sealed: string): boolean
}

/** `v1:<keyId>:<base64(iv ‖ tag ‖ ciphertext)>`; older ciphertexts are the bare base64 part. */
const sealedPattern = /^v1:([0-9a-f]{12}):(.+)$/s

export function isSealed(value: string): boolean {
  return sealedPattern.test(value)
}

/**
 * Reads the keyring (<dataDir>/secret-keys.json, or the configured/generated key) and reads it again when
 * the file changes or a key's grace period ends, so a running server follows `xionimus secrets rotate`
 * without a restart.
 */
export function createKeyringBox(
  configured: string | undefined,
  dataDir: string,
  clock: () => Date = () => new Date(),
): KeyringBox {
  let keyring: Keyring | undefined
  let version = -1
  const boxes = new Map<string, SecretBox>()
  function current(): Keyring {
    const now = clock()
    const seen = keyringVersion(dataDir)
    const expired = keyring?.keys.some(
      (entry) => entry.retireAt !== null && entry.retireAt <= now.toISOString(),
    )
    if (!keyring || seen !== version || expired) {
      keyring = loadKeyring(configured, dataDir, now)
      version = seen
    }
    return keyring
  }
  const boxOf = (id: string, key: Buffer) => {
    let box = boxes.get(id)
    if (!box) {
      box = createSecretBox(key)
      boxes.set(id, box)
    }
    return box
  }
  return {
    currentKeyId: () => current().current.id,
    isCurrent: (sealed) => sealedPattern.exec(sealed)?.[1] === current().current.id,
    seal(plaintext, context) {
      const { id, key } = current().current
      return `v1:${id}:${boxOf(id, key).seal(plaintext, context)}`
    },
    open(sealed, context) {
      const match = sealedPattern.exec(sealed)
      const { keys } = current()
      if (!match) {
        // Sealed before key ids existed: with the one key of that time, or a key rotated in since.
        for (const { id, key } of keys) {
          try {
            return boxOf(id, key).open(sealed, context)
          } catch {
            // the next key
          }
        }
        return boxOf(keys[0]!.id, keys[0]!.key).open(sealed, context)
      }
      const entry = keys.find((candidate) => candidate.id === match[1])
      if (!entry)
        throw new AppError(
          "SECRETS_KEY_INVALID",
          `A stored secret is sealed with key ${match[1]}, which is retired or unknown. Store that secret again (or restore the key from a backup of ${"secret-keys.json"}).`,
          { keyId: match[1] },
        )
      return boxOf(entry.id, entry.key).open(match[2]!, context)
    },
  }
}
