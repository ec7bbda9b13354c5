import { homedir } from "node:os"
import { isAbsolute, join, resolve, sep } from "node:path"
import type { Config } from "./schema.ts"

export type Env = Readonly<Record<string, string | undefined>>

export function homeDirectory(env: Env): string {
  return env.HOME || homedir()
}

// The XDG base directory spec says relative values are invalid and must be ignored.
function xdgDirectory(env: Env, name: string, fallback: string): string {
  const value = env[name]
  return value && isAbsolute(value) ? value : join(homeDirectory(env), fallback)
}

/** `$XDG_CONFIG_HOME/xionimus/config.json`, or `~/.config/xionimus/config.json`. */
export function userConfigFile(env: Env, configHome?: string): string {
  return join(configHome ?? xdgDirectory(env, "XDG_CONFIG_HOME", ".config"), "xionimus", "config.json")
}

/** The project's own settings, `.xionimus/config.json` in the working directory. */
export function projectConfigFile(cwd: string): string {
  return join(cwd, ".xionimus", "config.json")
}

/** Where Xionimus keeps its data: `config.dataDir`, else `$XDG_DATA_HOME/xionimus` (~/.local/share). */
export function resolveDataDir(config: Pick<Config, "dataDir">, env: Env): string {
  return config.dataDir ?? join(xdgDirectory(env, "XDG_DATA_HOME", join(".local", "share")), "xionimus")
}

/** A path as a person would type it: the home directory shown as `~`. */
export function displayPath(path: string, env: Env): string {
  const home = homeDirectory(env)
  if (path === home) return "~"
  return path.startsWith(home + sep) ? `~${path.slice(home.length)}` : path
}

/** Expands a leading `~` and makes a relative path absolute against `base`. */
export function expandPath(value: string, base: string, env: Env): string {
  if (value === "~") return homeDirectory(env)
  if (value.startsWith("~/")) return join(homeDirectory(env), value.slice(2))
  return resolve(base, value)
}
