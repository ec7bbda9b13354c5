import type { StoredEvent } from "@xionimus/protocol"

/**
 * Pattern-based secret redaction for what leaves the server in exports and share links: API keys of
 * the common providers, bearer tokens, JWTs, private key blocks, and the values of env-like settings
 * whose name says secret (`OPENAI_API_KEY=…`, `"password": "…"`). Idempotent: redacting twice
 * changes nothing, so an export's hash survives import and export again.
 */

export const redactedMarker = "[redacted]"

const tokenPatterns: RegExp[] = [
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----/g,
  /\bsk-(?:proj-|ant-(?:api\d\d-)?)?[A-Za-z0-9_-]{16,}/g,
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bglpat-[A-Za-z0-9_-]{20,}/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\bAIza[0-9A-Za-z_-]{35}\b/g,
  /\b(?:xs|xk)_[A-Za-z0-9_-]{32,}/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
]
const bearer = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]{12,}=*/g

/** Name segments that make a setting's value a secret (`key` only together with another segment). */
const secretWords = new Set([
  "apikey",
  "secret",
  "secrets",
  "token",
  "password",
  "passwd",
  "pwd",
  "passphrase",
  "credential",
  "credentials",
  "auth",
  "private",
])

/** Whether a setting or object key names a secret (API_KEY, clientSecret, db-password, token). */
export function isSecretName(name: string): boolean {
  const segments = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
  if (segments.some((segment) => secretWords.has(segment))) return true
  return segments.length > 1 && segments.includes("key")
}

/** Values that are not secrets themselves: literals, placeholders, references such as process.env.X or f(). */
const harmless =
  /^(?:true|false|null|none|undefined|\d+(?:\.\d+)?|\[redacted\]|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+|[A-Za-z_$][\w$.]*\(.*\))$/i

// NAME=value, NAME: value, "name": "value", name='value' (the name may be quoted).
const setting =
  /(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\1(\s*[:=]\s*)(?:"((?:[^"\\\n]|\\.)*)"|'([^'\n]*)'|(\[redacted\]|[^\s"',;}[\]]+))/g

function redactSettings(text: string): string {
  return text.replace(
    setting,
    (
      whole,
      quote: string,
      name: string,
      separator: string,
      double?: string,
      single?: string,
      bare?: string,
    ) => {
      const value = double ?? single ?? bare ?? ""
      if (!isSecretName(name) || value === "" || harmless.test(value)) return whole
      const redacted =
        double !== undefined
          ? `"${redactedMarker}"`
          : single !== undefined
            ? `'${redactedMarker}'`
            : redactedMarker
      return `${quote}${name}${quote}${separator}${redacted}`
    },
  )
}

export function redactText(text: string): string {
  let result = text
  for (const pattern of tokenPatterns) result = result.replace(pattern, redactedMarker)
  result = result.replace(bearer, `$1 ${redactedMarker}`)
  return redactSettings(result)
}

/** Redacts every string in a JSON value; values under secret-named keys are replaced whole. */
export function redactValue(value: unknown): unknown {
  if (typeof value === "string") return redactText(value)
  if (Array.isArray(value)) return value.map(redactValue)
  if (value === null || typeof value !== "object") return value
  const result: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    result[key] =
      typeof item === "string" && isSecretName(key) && item !== "" && !harmless.test(item)
        ? redactedMarker
        : redactValue(item)
  }
  return result
}

export function redactEvents(events: readonly StoredEvent[]): StoredEvent[] {
  return events.map((event) => ({ ...event, data: redactValue(event.data) }))
}
