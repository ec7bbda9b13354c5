import { createHash, randomBytes, timingSafeEqual } from "node:crypto"

/** 32 random bytes as base64url: 256 bits, beyond guessing. */
export function randomSecret(): string {
  return randomBytes(32).toString("base64url")
}

/**
 * SHA-256 (hex) of a secret, the only form in which tokens and keys are stored. They are long random
 * strings, so a fast hash suffices (no salt or stretching needed, unlike passwords).
 */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex")
}

/** Compares two strings in time independent of where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

export const apiKeyPrefix = "xk_"

/** A new API key: `xk_` + 43 base64url characters. */
export function newApiKeySecret(): string {
  return `${apiKeyPrefix}${randomSecret()}`
}

/** What is shown of a key to recognise it: `xk_` and its first 6 random characters. */
export function displayPrefix(secret: string): string {
  return secret.slice(0, apiKeyPrefix.length + 6)
}
