import { randomBytes } from "node:crypto"

/**
 * Prefixed, time-sortable ids: `prj_0190b6f3a2c1k3J9xQ2mP7vL`.
 * 12 hex characters of milliseconds, 2 of a per-millisecond counter (monotonic within a process),
 * then 12 random base62 characters.
 */
const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
let lastTime = 0
let counter = 0

export const idPrefixes = ["prj", "evt", "usr", "ses", "msg", "prt", "req", "tpl", "upl"] as const
export type IdPrefix = (typeof idPrefixes)[number]

export function newId(prefix: IdPrefix | (string & {}), now = Date.now()): string {
  if (now === lastTime) counter = (counter + 1) & 0xff
  else {
    lastTime = now
    counter = 0
  }
  const time = now.toString(16).padStart(12, "0") + counter.toString(16).padStart(2, "0")
  const bytes = randomBytes(12)
  let random = ""
  for (const byte of bytes) random += alphabet[byte % 62]
  return `${prefix}_${time}${random}`
}

export function idPattern(prefix: string): RegExp {
  return new RegExp(`^${prefix}_[0-9a-f]{14}[0-9A-Za-z]{12}$`)
}
