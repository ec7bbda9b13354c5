import assert from "node:assert/strict"
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { test } from "node:test"
import { loadConfig, ollamaURL, redactConfig } from "@xionimus/config"

async function withDir(run: (dir: string) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), "xionimus-provider-env-"))
  try {
    await run(dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

test("the conventional variables configure providers with no config file", () =>
  withDir(async (dir) => {
    const { config } = await loadConfig({
      cwd: dir,
      configHome: join(dir, "home"),
      env: {
        OPENAI_API_KEY: "sk-openai-1234567890",
        OPENAI_BASE_URL: "http://127.0.0.1:9999/v1",
        ANTHROPIC_API_KEY: "sk-ant-1234567890",
        GOOGLE_GENERATIVE_AI_API_KEY: "google-key-1234567890",
        OLLAMA_HOST: "0.0.0.0",
      },
    })
    assert.deepEqual(config.providers, {
      openai: { type: "openai", apiKey: "sk-openai-1234567890", baseURL: "http://127.0.0.1:9999/v1" },
      anthropic: { type: "anthropic", apiKey: "sk-ant-1234567890" },
      google: { type: "google", apiKey: "google-key-1234567890" },
      ollama: { type: "ollama", baseURL: "http://127.0.0.1:11434" },
    })
    assert.equal(config.models.idleTimeoutMs, 120_000)
  }))

test("a config file's provider wins over the variables, field by field", () =>
  withDir(async (dir) => {
    await mkdir(join(dir, ".xionimus"))
    await writeFile(
      join(dir, ".xionimus", "config.json"),
      JSON.stringify({
        providers: { openai: { type: "openai", api: "chat", baseURL: "https://proxy.example/v1" } },
      }),
    )
    const { config } = await loadConfig({
      cwd: dir,
      configHome: join(dir, "home"),
      env: {
        OPENAI_API_KEY: "sk-openai-1234567890",
        GEMINI_API_KEY: "gemini-1",
        GOOGLE_GENERATIVE_AI_API_KEY: "google-2",
      },
    })
    assert.deepEqual(config.providers.openai, {
      type: "openai",
      api: "chat",
      apiKey: "sk-openai-1234567890",
      baseURL: "https://proxy.example/v1",
    })
    assert.equal(config.providers.google?.apiKey, "gemini-1")
  }))

test("redactConfig shows provider keys by their last four characters only", () =>
  withDir(async (dir) => {
    const { config } = await loadConfig({
      cwd: dir,
      configHome: join(dir, "home"),
      env: { OPENAI_API_KEY: "sk-openai-secret-abcd" },
    })
    const shown = JSON.stringify(redactConfig(config))
    assert.ok(!shown.includes("sk-openai-secret"))
    assert.match(shown, /…abcd/)
  }))

test("ANTHROPIC_BASE_URL as Anthropic's tools write it (without /v1) works", () =>
  withDir(async (dir) => {
    const load = (url: string) =>
      loadConfig({ cwd: dir, configHome: join(dir, "home"), env: { ANTHROPIC_BASE_URL: url } })
    assert.equal(
      (await load("https://proxy.example")).config.providers.anthropic?.baseURL,
      "https://proxy.example/v1",
    )
    assert.equal(
      (await load("https://proxy.example/v1")).config.providers.anthropic?.baseURL,
      "https://proxy.example/v1",
    )
  }))

test("OLLAMA_HOST forms", () => {
  assert.equal(ollamaURL("127.0.0.1"), "http://127.0.0.1:11434")
  assert.equal(ollamaURL("gpu-box:8080"), "http://gpu-box:8080")
  assert.equal(ollamaURL("https://ollama.example"), "https://ollama.example")
})
