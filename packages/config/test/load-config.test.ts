import assert from "node:assert/strict"
import { join } from "node:path"
import { test } from "node:test"
import { Config, loadConfig } from "../src/index.ts"
import { makeSandbox, projectFile, userFile, writeJson, writeText } from "./helpers.ts"

test("with no file, env or flag the configuration is the schema's defaults", async (context) => {
  const { home, cwd } = await makeSandbox(context)
  const loaded = await loadConfig({ cwd, env: { HOME: home } })
  assert.deepEqual(loaded.config, Config.parse({}))
  assert.equal(loaded.sources["server.port"], "default")
  assert.equal(loaded.sources.dataDir, undefined)
  assert.deepEqual(loaded.files, [])
  assert.deepEqual(loaded.warnings, [])
})

test("the user file under ~/.config/xionimus sets values", async (context) => {
  const { home, cwd } = await makeSandbox(context)
  await writeJson(userFile(home), { server: { port: 4200 }, limits: { maxUploadFiles: 7 } })
  const loaded = await loadConfig({ cwd, env: { HOME: home } })
  assert.equal(loaded.config.server.port, 4200)
  assert.equal(loaded.config.server.host, "127.0.0.1")
  assert.equal(loaded.config.limits.maxUploadFiles, 7)
  assert.equal(loaded.sources["server.port"], "~/.config/xionimus/config.json")
  assert.deepEqual(loaded.files, [userFile(home)])
})

test("$XDG_CONFIG_HOME moves the user file, and the configHome option overrides it", async (context) => {
  const { home, cwd, root } = await makeSandbox(context)
  await writeJson(join(root, "xdg", "xionimus", "config.json"), { server: { port: 4201 } })
  await writeJson(join(root, "option", "xionimus", "config.json"), { server: { port: 4202 } })
  const env = { HOME: home, XDG_CONFIG_HOME: join(root, "xdg") }
  assert.equal((await loadConfig({ cwd, env })).config.server.port, 4201)
  const overridden = await loadConfig({ cwd, env, configHome: join(root, "option") })
  assert.equal(overridden.config.server.port, 4202)
})

test("a relative $XDG_CONFIG_HOME is ignored, as the XDG spec says", async (context) => {
  const { home, cwd } = await makeSandbox(context)
  await writeJson(userFile(home), { server: { port: 4203 } })
  const loaded = await loadConfig({ cwd, env: { HOME: home, XDG_CONFIG_HOME: "relative/dir" } })
  assert.equal(loaded.config.server.port, 4203)
})

test("precedence: defaults < user file < project file < env < flags, key by key", async (context) => {
  const { home, cwd } = await makeSandbox(context)
  await writeJson(userFile(home), {
    server: { host: "user-host", port: 1001, shutdownTimeoutMs: 1 },
    log: { level: "warn" },
    projects: { purgeAfterDays: 5 },
  })
  await writeJson(projectFile(cwd), { server: { port: 1002, shutdownTimeoutMs: 2 }, log: { level: "error" } })
  const env = { HOME: home, XIONIMUS_PORT: "1003", XIONIMUS_LOG_LEVEL: "debug" }
  const loaded = await loadConfig({ cwd, env, flags: { port: "1004" } })
  assert.equal(loaded.config.server.port, 1004)
  assert.equal(loaded.config.log.level, "debug")
  assert.equal(loaded.config.server.shutdownTimeoutMs, 2)
  assert.equal(loaded.config.server.host, "user-host")
  assert.equal(loaded.config.projects.purgeAfterDays, 5)
  assert.equal(loaded.config.limits.maxFileBytes, 20 * 1024 * 1024)
  assert.deepEqual(
    {
      port: loaded.sources["server.port"],
      level: loaded.sources["log.level"],
      timeout: loaded.sources["server.shutdownTimeoutMs"],
      host: loaded.sources["server.host"],
      maxFileBytes: loaded.sources["limits.maxFileBytes"],
    },
    {
      port: "--port",
      level: "XIONIMUS_LOG_LEVEL",
      timeout: projectFile(cwd),
      host: "~/.config/xionimus/config.json",
      maxFileBytes: "default",
    },
  )
  assert.deepEqual(loaded.files, [userFile(home), projectFile(cwd)])
})

test("each flag sets its key", async (context) => {
  const { home, cwd } = await makeSandbox(context)
  const flags = { host: "0.0.0.0", port: 9, dataDir: "/srv/xionimus", logLevel: "trace" }
  const loaded = await loadConfig({ cwd, env: { HOME: home }, flags })
  assert.equal(loaded.config.server.host, "0.0.0.0")
  assert.equal(loaded.config.server.port, 9)
  assert.equal(loaded.config.dataDir, "/srv/xionimus")
  assert.equal(loaded.config.log.level, "trace")
  assert.equal(loaded.sources.dataDir, "--data-dir")
  assert.equal(loaded.sources["server.host"], "--host")
})

test("relative paths resolve against the user file's directory, the project dir, and cwd; ~ expands", async (context) => {
  const { home, cwd } = await makeSandbox(context)
  await writeJson(userFile(home), { dataDir: "data", server: { webDir: "~/web" } })
  const fromUser = await loadConfig({ cwd, env: { HOME: home } })
  assert.equal(fromUser.config.dataDir, join(home, ".config", "xionimus", "data"))
  assert.equal(fromUser.config.server.webDir, join(home, "web"))

  await writeJson(projectFile(cwd), { dataDir: "./state" })
  assert.equal((await loadConfig({ cwd, env: { HOME: home } })).config.dataDir, join(cwd, "state"))

  const fromEnv = await loadConfig({ cwd, env: { HOME: home, XIONIMUS_DATA_DIR: "~/x" } })
  assert.equal(fromEnv.config.dataDir, join(home, "x"))
  const fromFlag = await loadConfig({ cwd, env: { HOME: home }, flags: { dataDir: "rel" } })
  assert.equal(fromFlag.config.dataDir, join(cwd, "rel"))
})

test("a byte-order mark at the start of a file is accepted", async (context) => {
  const { home, cwd } = await makeSandbox(context)
  await writeText(projectFile(cwd), '\uFEFF{ "server": { "port": 4300 } }')
  assert.equal((await loadConfig({ cwd, env: { HOME: home } })).config.server.port, 4300)
})
