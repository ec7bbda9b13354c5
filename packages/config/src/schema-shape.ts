import { z } from "zod"
import { Config } from "./schema.ts"

/** The part of a JSON Schema node that describing and coercing a value needs. */
export interface SchemaNode {
  type?: string
  properties?: Record<string, SchemaNode>
  enum?: unknown[]
  minimum?: number
  maximum?: number
  minLength?: number
  pattern?: string
  default?: unknown
}

/** A settable value of the configuration: `server.port`, `dataDir`, … */
export interface ConfigLeaf {
  /** Dotted key path, as in error messages and `config show`. */
  path: string
  keys: string[]
  node: SchemaNode
}

// Derived from the one zod schema through zod's own JSON Schema export, so that adding a key to
// `Config` adds its env variable, its coercion and its error wording without touching this file.
const root = z.toJSONSchema(Config, { io: "input" }) as SchemaNode

function collectLeaves(node: SchemaNode, keys: string[]): ConfigLeaf[] {
  if (node.type === "object" && node.properties) {
    return Object.entries(node.properties).flatMap(([key, child]) => collectLeaves(child, [...keys, key]))
  }
  return [{ path: keys.join("."), keys, node }]
}

export const configLeaves: readonly ConfigLeaf[] = collectLeaves(root, [])

export function schemaNodeAt(keys: readonly PropertyKey[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = root
  for (const key of keys) node = typeof key === "string" ? node?.properties?.[key] : undefined
  return node
}

function bounds(node: SchemaNode): string {
  const { minimum, maximum } = node
  const hasMaximum = maximum !== undefined && maximum < Number.MAX_SAFE_INTEGER
  if (minimum !== undefined && hasMaximum) return ` ${minimum}–${maximum}`
  if (minimum !== undefined) return ` ≥ ${minimum}`
  if (hasMaximum) return ` ≤ ${maximum}`
  return ""
}

/** The form a value must have, for a person: `an integer 0–65535`, `one of info, debug`. */
export function describeExpected(node: SchemaNode): string {
  if (node.enum) return `one of ${node.enum.map(String).join(", ")}`
  switch (node.type) {
    case "integer":
      return `an integer${bounds(node)}`
    case "number":
      return `a number${bounds(node)}`
    case "boolean":
      return "true or false"
    case "string":
      return node.minLength ? "a non-empty string" : "a string"
    case "object":
      return `an object with the keys ${Object.keys(node.properties ?? {}).join(", ")}`
    default:
      return node.type ? `a ${node.type}` : "a valid value"
  }
}

const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i
const booleans: Record<string, boolean> = {
  true: true,
  yes: true,
  on: true,
  1: true,
  false: false,
  no: false,
  off: false,
  0: false,
}

/**
 * Turns text from an env variable or a flag into the type the schema expects at that key.
 * Text that does not fit stays text, so that the schema reports it with the expected form.
 */
export function coerceText(text: string, node: SchemaNode): unknown {
  const trimmed = text.trim()
  if ((node.type === "integer" || node.type === "number") && numberPattern.test(trimmed))
    return Number(trimmed)
  if (node.type === "boolean") return booleans[trimmed.toLowerCase()] ?? text
  // Lists and maps come as JSON (`XIONIMUS_AUTH__OIDC='[{"id":"github",…}]'`).
  if ((node.type === "array" || node.type === "object") && /^[[{]/.test(trimmed)) {
    try {
      return JSON.parse(trimmed) as unknown
    } catch {
      return text
    }
  }
  return text
}
