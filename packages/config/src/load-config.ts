import { dirname } from "node:path"
import { type ConfigLayer, layerSets, mergeTrees, setAt, validateLayer } from "./config-layer.ts"
import { type ConfigProblem, type ConfigWarning, configInvalidError } from "./config-problem.ts"
import { readEnvLayer } from "./env-layer.ts"
import { type ConfigFlags, readFlagsLayer } from "./flags-layer.ts"
import { displayPath, type Env, expandPath, projectConfigFile, userConfigFile } from "./paths.ts"
import { readProviderEnvLayer } from "./provider-env-layer.ts"
import { readConfigFile } from "./read-config-file.ts"
import { Config } from "./schema.ts"
import { configLeaves } from "./schema-shape.ts"

export interface LoadConfigOptions {
  /** The working directory: holds the project file `.xionimus/config.json`; relative paths resolve against it. */
  cwd: string
  env: Env
  flags?: ConfigFlags
  /** Overrides `$XDG_CONFIG_HOME` (the user file is `<configHome>/xionimus/config.json`). */
  configHome?: string
}

export interface LoadedConfig {
  config: Config
  /** The source of each value set by a layer, by dotted key path: a file, an env variable, a flag or `default`. */
  sources: Record<string, string>
  /** Configuration files that exist and were read, strongest last. */
  files: string[]
  warnings: ConfigWarning[]
}

/** Keys holding paths: `~` expands, and a relative path resolves against the layer's base directory. */
const pathKeys = [["dataDir"], ["server", "webDir"]]

function resolvePaths(tree: Record<string, unknown>, base: string, env: Env): Record<string, unknown> {
  let resolved = tree
  for (const keys of pathKeys) {
    let value: unknown = tree
    for (const key of keys) value = (value as Record<string, unknown> | undefined)?.[key]
    if (typeof value !== "string" || value === "") continue
    resolved = structuredClone(resolved)
    setAt(resolved, keys, expandPath(value, base, env))
  }
  return resolved
}

interface FileSpec {
  file: string
  /** Relative paths inside the user file resolve against its directory, in the project file against cwd. */
  base: string
}

/**
 * The effective configuration: defaults < user file < project file < XIONIMUS_* env < flags.
 * Every layer is validated on its own by the one schema; throws CONFIG_INVALID listing every problem.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const { cwd, env } = options
  const userFile = userConfigFile(env, options.configHome)
  const fileSpecs: FileSpec[] = [
    { file: userFile, base: dirname(userFile) },
    { file: projectConfigFile(cwd), base: cwd },
  ]
  const problems: ConfigProblem[] = []
  const providerEnv = readProviderEnvLayer(env)
  problems.push(...validateLayer(providerEnv))
  const layers: ConfigLayer[] = [providerEnv]
  const files: string[] = []
  for (const { file, base } of fileSpecs) {
    const source = displayPath(file, env)
    const result = await readConfigFile(file, source)
    if (result.kind === "missing") continue
    files.push(file)
    if (result.kind === "invalid") {
      problems.push(result.problem)
      continue
    }
    const layer = { tree: resolvePaths(result.value, base, env), sourceOf: () => source }
    problems.push(...validateLayer(layer))
    layers.push(layer)
  }
  const envResult = readEnvLayer(env)
  problems.push(...envResult.problems)
  for (const { tree, sourceOf } of [envResult.layer, readFlagsLayer(options.flags ?? {})]) {
    const layer = { tree: resolvePaths(tree, cwd, env), sourceOf }
    problems.push(...validateLayer(layer))
    layers.push(layer)
  }
  if (problems.length > 0) throw configInvalidError(problems)

  const merged = layers.reduce<Record<string, unknown>>((tree, layer) => mergeTrees(tree, layer.tree), {})
  const mergedLayer = { tree: merged, sourceOf: () => "merged configuration" }
  const mergedProblems = validateLayer(mergedLayer)
  if (mergedProblems.length > 0) throw configInvalidError(mergedProblems)

  const sources: Record<string, string> = {}
  for (const leaf of configLeaves) {
    const layer = layers.findLast((candidate) => layerSets(candidate, leaf.keys))
    if (layer) sources[leaf.path] = layer.sourceOf(leaf.path)
    else if (leaf.node.default !== undefined) sources[leaf.path] = "default"
  }
  return { config: Config.parse(merged), sources, files, warnings: envResult.warnings }
}
