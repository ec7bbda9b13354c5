import type { OidcProviderConfig } from "@xionimus/auth"
import type { Config } from "@xionimus/config"
import { AppError } from "@xionimus/kit"
import { isLoopbackHost } from "../loopback.ts"

const presets: Record<string, Partial<OidcProviderConfig>> = {
  google: { name: "Google", issuer: "https://accounts.google.com" },
  github: { name: "GitHub", type: "github" },
}

/**
 * The sign-in providers of the configuration (`auth.oidc`), presets filled in. An http:// issuer is only
 * allowed on a loopback address (a provider on the same machine, or a test).
 */
export function signInProvidersOf(config: Config): OidcProviderConfig[] {
  return config.auth.oidc.map((entry) => {
    const preset = presets[entry.id] ?? {}
    const issuer = entry.issuer ?? preset.issuer
    const type = entry.type ?? preset.type ?? "oidc"
    const provider: OidcProviderConfig = {
      id: entry.id,
      type,
      name: entry.name ?? preset.name ?? entry.id,
      clientId: entry.clientId,
      clientSecret: entry.clientSecret,
      ...(issuer && type === "oidc" ? { issuer } : {}),
      ...(entry.baseUrl ? { baseUrl: entry.baseUrl } : {}),
      ...(entry.apiBaseUrl ? { apiBaseUrl: entry.apiBaseUrl } : {}),
    }
    if (issuer?.startsWith("http://") && isLoopbackHost(new URL(issuer).hostname)) provider.allowHttp = true
    // The client secret and access tokens travel to these URLs: plain http only to this machine.
    for (const [key, url] of [
      ["baseUrl", entry.baseUrl],
      ["apiBaseUrl", entry.apiBaseUrl],
    ] as const) {
      if (url?.startsWith("http://") && !isLoopbackHost(new URL(url).hostname))
        throw new AppError(
          "CONFIG_INVALID",
          `auth.oidc "${entry.id}": ${key} must be an https:// URL (http:// only on a loopback address).`,
          { path: `auth.oidc.${key}` },
        )
    }
    return provider
  })
}
