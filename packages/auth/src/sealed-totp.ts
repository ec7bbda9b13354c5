import type { TotpRepository } from "@xionimus/store"

/** Encrypts stored secrets (the server's keyring box; structurally @xionimus/llm's SecretBox). */
export interface SecretSealer {
  seal(plaintext: string, context: string): string
  open(sealed: string, context: string): string
}

/** TOTP secrets encrypted at rest: sealed when saved, opened when read. Older plaintext secrets still read. */
export function sealedTotpRepository(totp: TotpRepository, sealer: SecretSealer): TotpRepository {
  const context = (userId: string) => `totp:${userId}`
  return {
    ...totp,
    async get(userId) {
      const factor = await totp.get(userId)
      if (!factor?.secret.startsWith("v1:")) return factor
      return { ...factor, secret: sealer.open(factor.secret, context(userId)) }
    },
    savePending: (input) =>
      totp.savePending({ ...input, secret: sealer.seal(input.secret, context(input.userId)) }),
  }
}
