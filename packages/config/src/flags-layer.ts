import type { ConfigLayer } from "./config-layer.ts"
import { setAt } from "./config-layer.ts"
import { coerceText, schemaNodeAt } from "./schema-shape.ts"

/** Command-line flags that set configuration keys (as commander hands them over: text, or already numbers). */
export interface ConfigFlags {
  host?: string
  port?: string | number
  dataDir?: string
  logLevel?: string
}

/** Which key each flag sets, and how the flag is spelled on the command line. */
export const configFlags: Record<keyof ConfigFlags, { flag: string; path: string }> = {
  host: { flag: "--host", path: "server.host" },
  port: { flag: "--port", path: "server.port" },
  dataDir: { flag: "--data-dir", path: "dataDir" },
  logLevel: { flag: "--log-level", path: "log.level" },
}

export function readFlagsLayer(flags: ConfigFlags): ConfigLayer {
  const tree: Record<string, unknown> = {}
  const sources = new Map<string, string>()
  for (const [name, { flag, path }] of Object.entries(configFlags)) {
    const value = flags[name as keyof ConfigFlags]
    if (value === undefined) continue
    const keys = path.split(".")
    const node = schemaNodeAt(keys)
    setAt(tree, keys, typeof value === "string" && node ? coerceText(value, node) : value)
    sources.set(path, flag)
  }
  return { tree, sourceOf: (path) => sources.get(path) ?? "command line" }
}
