// RFC 6238 (TOTP, HMAC-SHA1, 6 digits, 30 s) with node:crypto, for tests that play the authenticator app.
import { createHmac } from "node:crypto"

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

function base32Decode(text: string): Buffer {
  let bits = 0
  let value = 0
  const bytes: number[] = []
  for (const character of text.replace(/=+$/, "").toUpperCase()) {
    const index = alphabet.indexOf(character)
    if (index < 0) throw new Error(`not base32: ${character}`)
    value = (value << 5) | index
    bits += 5
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return Buffer.from(bytes)
}

/** The code an authenticator shows for `secret` (base32) at `time`, `stepOffset` steps later. */
export function totpCode(secret: string, time = Date.now(), stepOffset = 0): string {
  const counter = Math.floor(time / 1000 / 30) + stepOffset
  const message = Buffer.alloc(8)
  message.writeBigUInt64BE(BigInt(counter))
  const digest = createHmac("sha1", base32Decode(secret)).update(message).digest()
  const offset = digest[digest.length - 1]! & 0x0f
  const binary = digest.readUInt32BE(offset) & 0x7fffffff
  return String(binary % 1_000_000).padStart(6, "0")
}
