import { type Config, secretPaths } from "./schema.ts"

const hidden = "***"

/**
 * A secret as it may be shown: for a URL the scheme, user, host, port and path stay (they help
 * to tell two settings apart) while the password and the query are hidden; anything else is hidden whole.
 */
export function redactSecret(value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return hidden
  }
  if (!url.host) return hidden
  const user = url.username || url.password ? `${url.username}${url.password ? `:${hidden}` : ""}@` : ""
  const path = url.pathname === "/" ? "" : url.pathname
  const query = url.search ? `?${hidden}` : ""
  return `${url.protocol}//${user}${url.host}${path}${query}`
}

export function isSecretPath(path: string): boolean {
  return (
    (secretPaths as readonly string[]).includes(path) ||
    /^providers\.[^.]+\.apiKey$/.test(path) ||
    /^auth\.oidc\.\d+\.clientSecret$/.test(path)
  )
}

/** A copy of the configuration fit for display and logs: every value under `secretPaths` redacted. */
export function redactConfig(config: Config): Config {
  const copy = structuredClone(config)
  for (const path of secretPaths) {
    const keys = path.split(".")
    const last = keys.pop()!
    let parent: Record<string, unknown> | undefined = copy as Record<string, unknown>
    for (const key of keys) parent = parent?.[key] as Record<string, unknown> | undefined
    const value = parent?.[last]
    if (parent && typeof value === "string") parent[last] = redactSecret(value)
  }
  // Provider keys: only the last four characters, as everywhere else keys are shown.
  for (const provider of Object.values(copy.providers ?? {}))
    if (provider.apiKey)
      provider.apiKey = provider.apiKey.length > 8 ? `…${provider.apiKey.slice(-4)}` : hidden
  for (const provider of copy.auth?.oidc ?? []) provider.clientSecret = hidden
  return copy
}
