import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto"
import { AppError } from "@xionimus/kit"

/** Encrypts stored secrets (provider keys) with AES-256-GCM. */
export interface SecretBox {
  /** base64(iv ‖ tag ‖ ciphertext). `context` (owner and provider id) is bound as associated data. */
  seal(plaintext: string, context: string): string
  /** Raises SECRETS_KEY_INVALID when the key or the context is not the one it was sealed with. */
  open(sealed: string, context: string): string
}

const ivBytes = 12
const tagBytes = 16

export function createSecretBox(key: Uint8Array): SecretBox {
  if (key.length !== 32)
    throw new AppError(
      "SECRETS_KEY_INVALID",
      `The secrets key must be 32 bytes (base64 of 32 random bytes), not ${key.length}.`,
    )
  return {
    seal(plaintext, context) {
      const iv = randomBytes(ivBytes)
      const cipher = createCipheriv("aes-256-gcm", key, iv)
      cipher.setAAD(Buffer.from(context, "utf8"))
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()])
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")
    },
    open(sealed, context) {
      try {
        const bytes = Buffer.from(sealed, "base64")
        const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, ivBytes))
        decipher.setAAD(Buffer.from(context, "utf8"))
        decipher.setAuthTag(bytes.subarray(ivBytes, ivBytes + tagBytes))
        return Buffer.concat([
          decipher.update(bytes.subarray(ivBytes + tagBytes)),
          decipher.final(),
        ]).toString("utf8")
      } catch (error) {
        throw new AppError(
          "SECRETS_KEY_INVALID",
          "A stored provider key cannot be decrypted: the secrets key changed since it was stored. Restore the old secretsKey (or <dataDir>/secret.key) or store the provider key again.",
          undefined,
          { cause: error },
        )
      }
    },
  }
}
