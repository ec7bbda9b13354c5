import { randomBytes } from "node:crypto"
import { AppError } from "@xionimus/kit"
import type { TotpRepository } from "@xionimus/store"
import { Secret, TOTP } from "otpauth"
import { type SecretSealer, sealedTotpRepository } from "./sealed-totp.ts"
import { hashSecret } from "./secrets.ts"

const period = 30
const recoveryCodeCount = 10
// Unambiguous characters for recovery codes (no 0/O, 1/I/L).
const recoveryAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

/** Second factor by TOTP (RFC 6238: SHA-1, 6 digits, 30 s), with one-time recovery codes. */
export interface TotpService {
  /** Starts enrolment: a new secret and its otpauth:// URI (for a QR code); TOTP_ALREADY_ENABLED if on. */
  begin(user: { id: string; email: string }): Promise<{ secret: string; uri: string }>
  /** Finishes enrolment with a current code; returns the recovery codes, shown this once. */
  confirm(userId: string, code: string): Promise<string[]>
  isEnabled(userId: string): Promise<boolean>
  /** A current code (each accepted once: replays fail) or an unused recovery code. */
  verify(userId: string, code: string): Promise<boolean>
  disable(userId: string): Promise<void>
}

export function createTotpService(deps: {
  totp: TotpRepository
  clock?: () => Date
  issuer?: string
  /** Encrypts the secrets at rest (the server's keyring); without it they are stored readable. */
  sealer?: SecretSealer
}): TotpService {
  const totp = deps.sealer ? sealedTotpRepository(deps.totp, deps.sealer) : deps.totp
  const clock = deps.clock ?? (() => new Date())
  const issuer = deps.issuer ?? "Xionimus"
  const totpOf = (secret: string, label = "") =>
    new TOTP({ issuer, label, algorithm: "SHA1", digits: 6, period, secret: Secret.fromBase32(secret) })

  /** The time step a code belongs to (within one step of now), or null when it is not current. */
  function stepOf(secret: string, code: string): number | null {
    if (!/^\d{6}$/.test(code)) return null
    const timestamp = clock().getTime()
    const delta = totpOf(secret).validate({ token: code, timestamp, window: 1 })
    return delta === null ? null : Math.floor(timestamp / 1000 / period) + delta
  }

  const normalizeRecovery = (code: string) => code.toUpperCase().replace(/[^0-9A-Z]/g, "")

  function recoveryCode(): string {
    const bytes = randomBytes(10)
    const characters = [...bytes].map((byte) => recoveryAlphabet[byte % recoveryAlphabet.length])
    return `${characters.slice(0, 5).join("")}-${characters.slice(5).join("")}`
  }

  return {
    async begin(user) {
      if ((await totp.get(user.id))?.enabledAt) {
        throw new AppError(
          "TOTP_ALREADY_ENABLED",
          "Two-factor sign-in is on already. Turn it off first to enrol again.",
        )
      }
      const secret = new Secret({ size: 20 }).base32
      await totp.savePending({ userId: user.id, secret, createdAt: clock().toISOString() })
      return { secret, uri: totpOf(secret, user.email).toString() }
    },
    async confirm(userId, code) {
      const factor = await totp.get(userId)
      if (!factor || factor.enabledAt) {
        throw new AppError(
          "TOTP_NOT_PENDING",
          "Start enrolment first (POST /api/auth/totp), then confirm a code.",
        )
      }
      const step = stepOf(factor.secret, code.trim())
      if (step === null)
        throw new AppError("AUTH_INVALID", "The code is wrong or expired; enter the current one.")
      const codes = Array.from({ length: recoveryCodeCount }, recoveryCode)
      await totp.enable(
        userId,
        clock().toISOString(),
        step,
        codes.map((item) => hashSecret(normalizeRecovery(item))),
      )
      return codes
    },
    async isEnabled(userId) {
      return Boolean((await totp.get(userId))?.enabledAt)
    },
    async verify(userId, code) {
      const factor = await totp.get(userId)
      if (!factor?.enabledAt) return false
      const trimmed = code.trim()
      if (/^\d{6}$/.test(trimmed)) {
        const step = stepOf(factor.secret, trimmed)
        return step !== null && (await totp.useStep(userId, step))
      }
      const recovery = normalizeRecovery(trimmed)
      if (recovery.length !== 10) return false
      return totp.useRecoveryCode(userId, hashSecret(recovery), clock().toISOString())
    },
    disable: (userId) => totp.remove(userId),
  }
}
