import type { z } from "zod"
import { closestName } from "./closest-name.ts"
import { type ConfigProblem, showValue } from "./config-problem.ts"
import { isSecretPath, redactSecret } from "./redact-config.ts"
import { Config } from "./schema.ts"
import { describeExpected, schemaNodeAt } from "./schema-shape.ts"

/** The values one source (a file, the environment, the flags) sets, as a partial configuration tree. */
export interface ConfigLayer {
  tree: Record<string, unknown>
  /** The source to name for the value at a dotted key path: the file, the env variable or the flag. */
  sourceOf(path: string): string
}

export function setAt(tree: Record<string, unknown>, keys: readonly string[], value: unknown): void {
  let node = tree
  for (const key of keys.slice(0, -1)) {
    const child = node[key]
    if (typeof child === "object" && child !== null) node = child as Record<string, unknown>
    else node = node[key] = {}
  }
  node[keys.at(-1)!] = value
}

function valueAt(tree: unknown, keys: readonly PropertyKey[]): unknown {
  let node = tree
  for (const key of keys) node = (node as Record<PropertyKey, unknown> | undefined)?.[key]
  return node
}

function shownValue(path: string, value: unknown): string {
  return isSecretPath(path) && typeof value === "string" ? showValue(redactSecret(value)) : showValue(value)
}

function issueProblems(issue: z.core.$ZodIssue, layer: ConfigLayer): ConfigProblem[] {
  if (issue.code === "unrecognized_keys") {
    const known = Object.keys(schemaNodeAt(issue.path)?.properties ?? {})
    return issue.keys.map((key) => {
      const path = [...issue.path, key].join(".")
      const suggestion = closestName(key, known)
      return {
        source: layer.sourceOf(path),
        path,
        expected: `one of the keys ${known.join(", ")}`,
        received: `${JSON.stringify(key)}${suggestion ? ` (did you mean ${JSON.stringify(suggestion)}?)` : ""}`,
      }
    })
  }
  const path = issue.path.join(".")
  const node = schemaNodeAt(issue.path)
  // Custom regex checks carry their own wording ("a postgres:// or postgresql:// URL").
  const expected = issue.code === "invalid_format" || !node ? issue.message : describeExpected(node)
  return [
    {
      source: layer.sourceOf(path),
      path,
      expected,
      received: shownValue(path, valueAt(layer.tree, issue.path)),
    },
  ]
}

/** Validates one layer on its own with the one schema, so that each problem names its own source. */
export function validateLayer(layer: ConfigLayer): ConfigProblem[] {
  const result = Config.safeParse(layer.tree)
  return result.success ? [] : result.error.issues.flatMap((issue) => issueProblems(issue, layer))
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
}

/** Merges `upper` over `lower`: objects merge key by key, every other value replaces. */
export function mergeTrees(
  lower: Record<string, unknown>,
  upper: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...lower }
  for (const [key, value] of Object.entries(upper)) {
    const below = merged[key]
    merged[key] = isPlainObject(below) && isPlainObject(value) ? mergeTrees(below, value) : value
  }
  return merged
}

/** Whether the layer sets the value at these keys. */
export function layerSets(layer: ConfigLayer, keys: readonly string[]): boolean {
  return valueAt(layer.tree, keys) !== undefined
}
