import { hash, verify } from "@node-rs/argon2"

/**
 * Argon2id with the OWASP Password Storage Cheat Sheet's first recommended setting: 19 MiB of memory,
 * 2 iterations, 1 lane. The parameters travel inside each PHC string, so raising them later still
 * verifies old hashes.
 */
export const argon2Parameters = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

// Algorithm is a `const enum` in the typings; 2 is Argon2id.
const argon2id = 2 as const

export interface PasswordHasher {
  hash(password: string): Promise<string>
  verify(passwordHash: string, password: string): Promise<boolean>
  /** Spends the time of one verification, so that an unknown e-mail answers as slowly as a known one. */
  waste(password: string): Promise<void>
}

export function createPasswordHasher(
  parameters: { memoryCost: number; timeCost: number; parallelism: number } = argon2Parameters,
): PasswordHasher {
  const options = { algorithm: argon2id, ...parameters }
  let dummy: Promise<string> | undefined
  return {
    hash: (password) => hash(password, options),
    async verify(passwordHash, password) {
      try {
        return await verify(passwordHash, password)
      } catch {
        // A malformed stored hash verifies nothing.
        return false
      }
    },
    async waste(password) {
      dummy ??= hash("not a real password, only spends time", options)
      await verify(await dummy, password).catch(() => false)
    },
  }
}
