import {
  type ConfigFlags,
  formatConfigWarning,
  type LoadedConfig,
  loadConfig,
  resolveDataDir,
} from "@xionimus/config"
import { type CliIo, writeLine } from "./cli-io.ts"

/**
 * Loads the configuration for a command, prints its warnings on stderr, and fills in the data
 * directory so that the server and every check use the same one. Throws CONFIG_INVALID before
 * anything touches data.
 */
export async function loadCliConfig(io: CliIo, flags: ConfigFlags): Promise<LoadedConfig> {
  const loaded = await loadConfig({ cwd: io.cwd, env: io.env, flags })
  for (const warning of loaded.warnings) writeLine(io.stderr, `warning: ${formatConfigWarning(warning)}`)
  if (loaded.config.dataDir !== undefined) return loaded
  const config = { ...loaded.config, dataDir: resolveDataDir(loaded.config, io.env) }
  const sources = {
    ...loaded.sources,
    dataDir: "default ($XDG_DATA_HOME/xionimus or ~/.local/share/xionimus)",
  }
  return { ...loaded, config, sources }
}
