// What the web benches share: one production build of the client (into a temporary directory, built once
// per `npm run bench` process), the real server serving it with a signed-in owner, a seeded project and a
// 2,000-message session imported through the API, and Debian Chromium's flags (DESIGN.md, Known traps).
import { spawnSync } from "node:child_process"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Config } from "@xionimus/config"
import { silentLogger } from "@xionimus/kit"
import type { StoredEvent } from "@xionimus/protocol"
import { createClient, createSessionsClient } from "@xionimus/sdk"
import { startServer } from "@xionimus/server"
import { signInOwner } from "@xionimus/testing"
// Not part of the agent package's public surface; the export format needs it to seed a session by import.
import { sessionStateHash } from "../packages/agent/src/state-hash.ts"

const root = new URL("..", import.meta.url).pathname

export const chromiumPath = "/usr/bin/chromium"
export const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
]

/** Messages in the long session (half the user's, half the assistant's). */
export const longSessionMessages = 2000

let build: Promise<string> | undefined

/** `npm run build -w @xionimus/web` into a temporary directory (once per process). */
export function buildWeb(): Promise<string> {
  build ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), "xionimus-bench-web-"))
    // --manifest: .vite/manifest.json maps chunks to their sources (the bundle bench groups lazy chunks).
    const result = spawnSync("npm", ["run", "build", "--workspace", "@xionimus/web", "--", "--manifest"], {
      cwd: root,
      env: { ...process.env, XIONIMUS_WEB_DIST: dir },
      encoding: "utf8",
    })
    if (result.status !== 0) throw new Error(`the web build failed:\n${result.stdout}\n${result.stderr}`)
    return dir
  })()
  return build
}

export interface WebFixture {
  url: string
  /** The owner's browser cookie (session and CSRF), for Chromium and Lighthouse. */
  cookie: string
  cookies: { name: string; value: string }[]
  projectId: string
  longSessionId: string
  shareUrl: string
  dispose(): Promise<void>
}

/** The last assistant message's text in the long session: the benches wait for it on screen. */
export const lastAnswer = `Answer number ${longSessionMessages / 2 - 1}.`

function longSessionExport(): unknown {
  const time = new Date().toISOString()
  const events: Omit<StoredEvent, "stream">[] = []
  const add = (type: string, data: unknown) =>
    events.push({ id: `evt_bench${events.length + 1}`, seq: events.length + 1, type, data, time })
  add("session.created", { projectId: "prj_bench", title: "2,000 messages", model: null })
  for (let index = 0; index < longSessionMessages / 2; index++) {
    const turnId = `trn_b${index}`
    add("message.created", {
      messageId: `msg_u${index}`,
      role: "user",
      text: `Question number ${index}: what does the function on line ${index} of src/app.ts do?`,
    })
    add("turn.started", { turnId, messageId: `msg_u${index}`, model: "mock/bench" })
    add("assistant.started", { turnId, messageId: `msg_a${index}`, model: "mock/bench" })
    add("assistant.text", {
      messageId: `msg_a${index}`,
      text:
        index % 5 === 0
          ? `It parses the **input** and returns a list:\n\n\`\`\`ts\nexport function parse(input: string) {\n  return input.split(",")\n}\n\`\`\`\n\nAnswer number ${index}.`
          : `It validates the arguments, then calls \`next()\`. Answer number ${index}.`,
    })
    add("assistant.finished", { messageId: `msg_a${index}`, reason: "stop" })
    add("turn.ended", { turnId, outcome: "completed" })
  }
  return {
    format: "xionimus.session",
    version: 1,
    exportedAt: time,
    session: { id: "ses_bench", title: "2,000 messages", tags: [], model: null },
    events,
    stateHash: sessionStateHash(events.map((event) => ({ ...event, stream: "ses_bench" }))),
  }
}

/** The real server on 127.0.0.1:0 over the built client, with an owner, a project and a long session. */
export async function startWebFixture(webDir: string): Promise<WebFixture> {
  const dataDir = await mkdtemp(join(tmpdir(), "xionimus-bench-web-data-"))
  const server = await startServer({
    config: Config.parse({
      dataDir,
      log: { level: "silent" },
      server: { host: "127.0.0.1", port: 0, webDir },
      limits: { maxUploadBytes: 64 * 1024 * 1024 },
    }),
    logger: silentLogger(),
  })
  try {
    const owner = await signInOwner(server.url)
    const options = { baseUrl: server.url, headers: owner.headers }
    const client = createClient(options)
    const sessions = createSessionsClient(options)
    const project = await client.createProject({ name: "Bench", template: "node-ts" })
    const files = Array.from({ length: 20 }, (_, index) => ({
      path: `src/module-${index}.ts`,
      content: new Blob([`export const value${index} = ${index}\n`]),
    }))
    await client.upload(project.id, files)
    const imported = await sessions.importJson(project.id, longSessionExport())
    const share = await sessions.createShare(imported.id, { expiresInDays: 1 })
    return {
      url: server.url,
      cookie: owner.cookie,
      cookies: owner.cookie.split("; ").map((pair) => {
        const at = pair.indexOf("=")
        return { name: pair.slice(0, at), value: pair.slice(at + 1) }
      }),
      projectId: project.id,
      longSessionId: imported.id,
      shareUrl: new URL(share.url ?? `/shared/${share.token}`, server.url).href,
      async dispose() {
        await server.close()
        await rm(dataDir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await server.close()
    await rm(dataDir, { recursive: true, force: true })
    throw error
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
