import { AppError } from "@xionimus/kit"

/** The transports a clone may use; `ext::`, `fd::` and the like can run commands. */
export const gitProtocols = ["http", "https", "ssh", "git", "file"] as const
export type GitProtocol = (typeof gitProtocols)[number]

export interface GitRemote {
  /** The URL handed to git and stored as origin: never carries a user name or password. */
  url: string
  /** The scheme without the colon, for GIT_ALLOW_PROTOCOL. */
  protocol: string
  /** `http.<origin>/.extraHeader` value for this invocation only, when a credential was given. */
  authorization: string | undefined
  /** Every secret string that must never reach a log line or an error message. */
  secrets: string[]
}

/**
 * Checks a clone URL and splits the credential off it. Only the `allowed` transports are accepted
 * (at most http(s), ssh, git and file). A credential in the URL's user-info
 * or in `token` becomes an Authorization header for this one git invocation; the URL that git
 * stores in `.git/config` is the bare one.
 */
export function parseGitRemote(
  input: string,
  token?: string,
  allowed: readonly GitProtocol[] = gitProtocols,
): GitRemote {
  let parsed: URL
  try {
    parsed = new URL(input)
  } catch {
    throw invalidUrl(input, "is not a URL (for ssh use ssh://user@host/path)")
  }
  if (!(allowed as readonly string[]).includes(parsed.protocol.slice(0, -1))) {
    throw invalidUrl(input, `uses ${parsed.protocol} (this server accepts ${allowed.join(", ")})`)
  }
  if (parsed.protocol !== "file:" && parsed.hostname === "") throw invalidUrl(input, "has no host")
  // A host or user starting with "-" would reach ssh as an option (-oProxyCommand=...).
  if (parsed.hostname.startsWith("-") || parsed.username.startsWith("-")) {
    throw invalidUrl(input, "has a host or user name starting with '-'")
  }
  const user = decodeURIComponent(parsed.username)
  const password = decodeURIComponent(parsed.password)
  const isHttp = parsed.protocol === "http:" || parsed.protocol === "https:"
  const secret = token ?? (password || undefined)
  const secrets = [token, password, parsed.password].filter(
    (value): value is string => typeof value === "string" && value !== "",
  )
  if (secret !== undefined && !isHttp) {
    throw invalidUrl(redact(input, secrets), "carries a credential, which works only with http(s) URLs")
  }
  let authorization: string | undefined
  if (isHttp && (secret !== undefined || user !== "")) {
    // A lone user-info ("https://TOKEN@host") is how many hosts take a token: send it as the user.
    const basic = Buffer.from(`${user || "x-access-token"}:${secret ?? ""}`, "utf8").toString("base64")
    authorization = `Authorization: Basic ${basic}`
    secrets.push(basic, ...(user ? [user] : []))
    parsed.username = ""
    parsed.password = ""
  }
  return {
    url: parsed.toString(),
    protocol: parsed.protocol.slice(0, -1),
    authorization,
    secrets,
  }
}

/** The origin prefix git matches `http.<url>.*` settings against, so the header goes nowhere else. */
export function headerScope(url: string): string {
  return `${new URL(url).origin}/`
}

/** Replaces every secret, and any user-info left in a URL, with "***". */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text
  for (const secret of [...secrets].sort((left, right) => right.length - left.length)) {
    if (secret.length > 0) result = result.split(secret).join("***")
  }
  return result.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, "$1***@")
}

/** A branch or tag name git would accept, never an option. */
export function checkRef(ref: string): void {
  const valid =
    ref.length > 0 &&
    ref.length <= 255 &&
    /^[A-Za-z0-9._/+-]+$/.test(ref) &&
    !ref.startsWith("-") &&
    !ref.startsWith("/") &&
    !ref.endsWith("/") &&
    !ref.endsWith(".lock") &&
    !ref.includes("..") &&
    !ref.includes("//")
  if (!valid) {
    throw new AppError("VALIDATION_FAILED", `"${ref}" is not a branch or tag name git accepts.`, { ref })
  }
}

function invalidUrl(url: string, reason: string): AppError {
  return new AppError("GIT_URL_INVALID", `The git URL ${reason}. Use an http(s), ssh, git or file URL.`, {
    url: redact(url, []),
  })
}
