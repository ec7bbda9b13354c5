import { closestName } from "./closest-name.ts"
import { type ConfigLayer, setAt } from "./config-layer.ts"
import type { ConfigProblem, ConfigWarning } from "./config-problem.ts"
import type { Env } from "./paths.ts"
import { type ConfigLeaf, coerceText, configLeaves } from "./schema-shape.ts"

export const envPrefix = "XIONIMUS_"

/** Short names for the most used keys, beside their generic `XIONIMUS_<SECTION>__<KEY>` names. */
const shortcuts: Record<string, string> = {
  XIONIMUS_HOST: "server.host",
  XIONIMUS_PORT: "server.port",
  XIONIMUS_LOG_LEVEL: "log.level",
}

/** Names other programs use for the same thing; a XIONIMUS_ variable wins over them. */
const conventional: Record<string, string> = {
  DATABASE_URL: "databaseUrl",
  REDIS_URL: "redisUrl",
}

function screamingSnake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()
}

/** The generic env variable of a key: `limits.maxFileBytes` → `XIONIMUS_LIMITS__MAX_FILE_BYTES`. */
export function envName(leaf: Pick<ConfigLeaf, "keys">): string {
  return envPrefix + leaf.keys.map(screamingSnake).join("__")
}

/** Every env variable of a key, strongest first. */
export function envNamesOf(leaf: ConfigLeaf): { own: string[]; conventional: string[] } {
  const byPath = (table: Record<string, string>) =>
    Object.entries(table)
      .filter(([, path]) => path === leaf.path)
      .map(([name]) => name)
  return { own: [envName(leaf), ...byPath(shortcuts)], conventional: byPath(conventional) }
}

export interface EnvLayerResult {
  layer: ConfigLayer
  problems: ConfigProblem[]
  warnings: ConfigWarning[]
}

/**
 * The environment as a configuration layer. Empty variables count as unset. Unknown XIONIMUS_*
 * variables are warnings, not errors: the same environment often carries variables for other
 * versions or tools, and a typo still shows up on every start.
 */
export function readEnvLayer(env: Env): EnvLayerResult {
  const tree: Record<string, unknown> = {}
  const sources = new Map<string, string>()
  const problems: ConfigProblem[] = []
  const known = new Set<string>()
  for (const leaf of configLeaves) {
    const names = envNamesOf(leaf)
    for (const name of names.own) known.add(name)
    const own = names.own.filter((name) => env[name])
    const distinct = new Set(own.map((name) => env[name]))
    if (distinct.size > 1) {
      const received = own.map((name) => `${name}=${JSON.stringify(env[name])}`).join(" and ")
      problems.push({
        source: own.join(", "),
        path: leaf.path,
        expected: "one of these variables only",
        received,
      })
      continue
    }
    const name = own[0] ?? names.conventional.find((candidate) => env[candidate])
    if (!name) continue
    setAt(tree, leaf.keys, coerceText(env[name]!, leaf.node))
    sources.set(leaf.path, name)
  }
  const warnings: ConfigWarning[] = Object.keys(env)
    .filter((name) => name.startsWith(envPrefix) && !known.has(name))
    .sort()
    .map((name) => {
      const suggestion = closestName(name, [...known])
      const hint = suggestion
        ? `; did you mean ${suggestion}?`
        : "; see docs/configuration.md for the variables"
      return { source: name, message: `not a Xionimus setting, ignored${hint}` }
    })
  return { layer: { tree, sourceOf: (path) => sources.get(path) ?? "environment" }, problems, warnings }
}
