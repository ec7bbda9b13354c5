/** Replaces every occurrence of each secret (at least 8 characters long) with a marker keeping its last 4. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text
  for (const secret of secrets) {
    if (secret.length < 8) continue
    result = result.split(secret).join(`[redacted …${secret.slice(-4)}]`)
  }
  return result
}

/** How a stored key may be shown: its last four characters only. */
export function keyHint(secret: string): string {
  return secret.length <= 4 ? "…" : `…${secret.slice(-4)}`
}
