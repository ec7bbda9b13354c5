import { AppError } from "@xionimus/kit"
import type { ModelInfo } from "@xionimus/server"
import { type CliIo, writeLine } from "../cli-io.ts"
import { loadCliConfig } from "../load-cli-config.ts"
import { loadModelModule } from "../model-module.ts"

export interface ModelsOptions {
  json?: boolean
  dataDir?: string
}

const thousands = (tokens: number) => (tokens >= 1000 ? `${Math.round(tokens / 1000)}k` : String(tokens))
const dollars = (value: number) => `$${value.toFixed(value < 1 ? 3 : 2)}`

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)))
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join("  ")
      .trimEnd(),
  )
}

function capabilities(model: ModelInfo): string {
  const names = Object.entries(model.capabilities).flatMap(([name, has]) => (has ? [name] : []))
  return names.join(",") || "-"
}

/** `xionimus models`: the configured models with context size and prices per million tokens. */
export async function modelsCommand(options: ModelsOptions, io: CliIo): Promise<number> {
  const { config } = await loadCliConfig(io, { dataDir: options.dataDir })
  const list = (await loadModelModule()).configuredModels(config)
  if (options.json) {
    writeLine(io.stdout, JSON.stringify(list, null, 2))
    return 0
  }
  if (list.models.length === 0) {
    writeLine(
      io.stdout,
      "No model provider is configured. Set OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY or OLLAMA_HOST, or add providers to the config (docs/providers.md).",
    )
    return 0
  }
  const rows = [
    ["model", "context", "max out", "in $/M", "out $/M", "cached $/M", "capabilities"],
    ...list.models.map((model) => [
      `${model.name}${model.source === "defaults" ? " (?)" : ""}`,
      thousands(model.contextWindow),
      thousands(model.maxOutputTokens),
      dollars(model.prices.input),
      dollars(model.prices.output),
      dollars(model.prices.cachedInput),
      capabilities(model),
    ]),
  ]
  for (const line of table(rows)) writeLine(io.stdout, line)
  writeLine(io.stdout)
  writeLine(
    io.stdout,
    `prices as of the catalog compiled ${list.catalogCompiled}; correct them under models.catalog`,
  )
  if (list.models.some((model) => model.source === "defaults"))
    writeLine(io.stdout, "(?) not in the catalog: conservative defaults assumed")
  return 0
}

/** `xionimus models test <provider>`: lists what the endpoint offers, or says why it failed (exit 1). */
export async function modelsTestCommand(
  providerId: string,
  options: ModelsOptions,
  io: CliIo,
): Promise<number> {
  const { config } = await loadCliConfig(io, { dataDir: options.dataDir })
  const result = await (await loadModelModule()).testConfiguredProvider(config, providerId)
  if (!result)
    throw new AppError(
      "PROVIDER_NOT_FOUND",
      `No provider "${providerId}" is configured (configured: ${Object.keys(config.providers).join(", ") || "none"}).`,
    )
  if (options.json) writeLine(io.stdout, JSON.stringify(result, null, 2))
  else if (result.ok) {
    writeLine(
      io.stdout,
      `${providerId}: ok, ${result.baseURL} answered in ${Math.round(result.latencyMs)} ms`,
    )
    writeLine(io.stdout, `${result.models.length} models: ${result.models.join(", ")}`)
  } else writeLine(io.stderr, `${providerId}: ${result.error?.reason}: ${result.error?.message}`)
  return result.ok ? 0 : 1
}
