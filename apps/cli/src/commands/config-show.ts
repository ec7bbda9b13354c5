import { configLeaves, redactConfig } from "@xionimus/config"
import { type CliIo, writeLine } from "../cli-io.ts"
import { loadCliConfig } from "../load-cli-config.ts"

export interface ConfigShowOptions {
  json?: boolean
  dataDir?: string
}

function valueAt(tree: unknown, keys: readonly string[]): unknown {
  let node = tree
  for (const key of keys) node = (node as Record<string, unknown> | undefined)?.[key]
  return node
}

/** `xionimus config show`: the effective configuration, secrets redacted, with the source of each value. */
export async function configShowCommand(options: ConfigShowOptions, io: CliIo): Promise<number> {
  const loaded = await loadCliConfig(io, { dataDir: options.dataDir })
  const config = redactConfig(loaded.config)
  if (options.json) {
    const output = { config, sources: loaded.sources, files: loaded.files, warnings: loaded.warnings }
    writeLine(io.stdout, JSON.stringify(output, null, 2))
    return 0
  }
  const rows = configLeaves.map((leaf) => {
    const value = valueAt(config, leaf.keys)
    return {
      key: leaf.path,
      value: value === undefined ? "(not set)" : typeof value === "string" ? value : JSON.stringify(value),
      source: loaded.sources[leaf.path] ?? "",
    }
  })
  const keyWidth = Math.max(...rows.map((row) => row.key.length))
  const valueWidth = Math.max(...rows.map((row) => row.value.length))
  for (const row of rows) {
    const line = `${row.key.padEnd(keyWidth)}  ${row.value.padEnd(valueWidth)}  ${row.source}`
    writeLine(io.stdout, line.trimEnd())
  }
  writeLine(io.stdout)
  const files = loaded.files.length > 0 ? loaded.files.join(", ") : "none"
  writeLine(io.stdout, `configuration files read: ${files}`)
  return 0
}
