import { execFile } from "node:child_process"
import { mkdtemp, readFile, rm, stat } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { createEventBus, createInProcessPubSub } from "@xionimus/bus"
import { AppError, newId } from "@xionimus/kit"
import type { SessionUsage, StoredEvent } from "@xionimus/protocol"
import { openStore, type Store } from "@xionimus/store"
import {
  type Checkpoints,
  checkpointGitDir,
  createCheckpoints,
  createWorkspaceManager,
} from "@xionimus/workspace"
import { createSessionOperations } from "../src/session-operations.ts"
import type { ProjectRuntime, SessionEngineDeps, SessionOperations } from "../src/types.ts"

const run = promisify(execFile)
export const model = "scripted/model"
export const usage: SessionUsage = {
  inputTokens: 100,
  outputTokens: 20,
  cachedInputTokens: 0,
  costUsd: 0.001,
}

export interface ProjectFixture {
  projectId: string
  workspace: string
  checkpoints: Checkpoints
  write(path: string, text: string): Promise<void>
  remove(path: string): Promise<void>
  /** The file's text, or null when it does not exist. */
  read(path: string): Promise<string | null>
  git(...args: string[]): Promise<string>
}

/** One change a scripted tool call makes: text to write, or null to delete. */
export type Edits = Record<string, string | null>

export interface OperationsFixture {
  store: Store
  bus: ReturnType<typeof createEventBus>
  deps: SessionEngineDeps
  operations: SessionOperations
  running: Set<string>
  clock: { now: Date }
  project(options?: { ownGit?: boolean; checkpoints?: boolean }): Promise<ProjectFixture>
  createSession(projectId: string, title?: string): Promise<string>
  /** Appends a whole turn as the engine writes it: message, checkpoints, tool calls, answer. */
  turn(
    sessionId: string,
    project: ProjectFixture,
    text: string,
    edits?: Edits,
    answer?: string,
  ): Promise<string>
  append(sessionId: string, type: string, data: unknown): Promise<StoredEvent>
  events(sessionId: string): Promise<StoredEvent[]>
  close(): Promise<void>
}

export async function createOperationsFixture(
  options: { publicUrl?: string } = {},
): Promise<OperationsFixture> {
  const directory = await mkdtemp(join(tmpdir(), "xionimus-session-ops-"))
  const root = join(directory, "workspaces")
  const workspaces = createWorkspaceManager({
    root,
    limits: { maxFileBytes: 4 * 1024 * 1024, maxUploadBytes: 8 * 1024 * 1024, maxUploadFiles: 100 },
  })
  const clock = { now: new Date("2026-11-22T10:00:00.000Z") }
  const store = await openStore({ sqlitePath: join(directory, "xionimus.sqlite") })
  const bus = createEventBus({ log: store.events, pubsub: createInProcessPubSub() })
  const runtimes = new Map<string, ProjectRuntime>()
  const running = new Set<string>()
  const unused = async (): Promise<never> => {
    throw new AppError("INTERNAL", "not used by session operations")
  }
  const deps: SessionEngineDeps = {
    bus,
    sessions: store.sessions,
    log: store.events,
    async runtimeFor(projectId) {
      const runtime = runtimes.get(projectId)
      if (!runtime) throw new AppError("PROJECT_NOT_FOUND", projectId)
      return runtime
    },
    routerFor: unused,
    contextWindowOf: () => 200_000,
    permissions: unused,
    nodeId: "node-test",
    clock: () => clock.now,
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
  }
  const operations = createSessionOperations(deps, { isRunning: (sessionId) => running.has(sessionId) })

  async function append(sessionId: string, type: string, data: unknown): Promise<StoredEvent> {
    const [stored] = await bus.append(sessionId, [{ id: newId("evt"), type, data }])
    return stored as StoredEvent
  }

  return {
    store,
    bus,
    deps,
    operations,
    running,
    clock,
    async project({ ownGit = false, checkpoints: keepsCheckpoints = true } = {}) {
      const projectId = newId("prj")
      await workspaces.create(projectId, { kind: "empty" })
      const workspace = join(root, projectId)
      const files = workspaces.files(projectId)
      const checkpoints = createCheckpoints({ workspace, gitDir: checkpointGitDir(root, projectId) })
      const git = async (...args: string[]) =>
        (
          await run("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
            cwd: workspace,
            env: { PATH: process.env.PATH ?? "", HOME: directory, GIT_CONFIG_NOSYSTEM: "1" },
          })
        ).stdout
      if (ownGit) {
        await git("init", "-q", "-b", "main")
        await files.write("README.md", Buffer.from("# project\n"))
        await git("add", "-A")
        await git("commit", "-q", "-m", "initial")
      }
      runtimes.set(projectId, {
        projectId,
        files,
        sandboxed: false,
        ...(keepsCheckpoints ? { checkpoints } : {}),
      })
      return {
        projectId,
        workspace,
        checkpoints,
        write: (path, text) => files.write(path, Buffer.from(text)).then(() => undefined),
        remove: (path) => rm(join(workspace, path), { force: true }),
        async read(path) {
          try {
            await stat(join(workspace, path))
          } catch {
            return null
          }
          return readFile(join(workspace, path), "utf8")
        },
        git,
      }
    },
    async createSession(projectId, title = "A session") {
      const id = newId("ses")
      await store.sessions.create({ id, projectId, title, model, createdBy: "usr_test" })
      await append(id, "session.created", { projectId, title, model, forkedFrom: null })
      return id
    },
    async turn(sessionId, project, text, edits = {}, answer = "Done.") {
      const messageId = newId("msg")
      const turnId = newId("trn")
      await append(sessionId, "message.created", {
        messageId,
        role: "user",
        text,
        queued: false,
        authorId: "usr_test",
      })
      await append(sessionId, "turn.started", { turnId, messageId, resumed: false, model })
      const start = await project.checkpoints.record({
        message: `turn ${turnId}`,
        meta: { sessionId, messageId },
      })
      await append(sessionId, "checkpoint.recorded", {
        checkpointId: start.id,
        messageId,
        changed: start.changed,
      })
      const assistantId = newId("msg")
      await append(sessionId, "assistant.started", { turnId, messageId: assistantId, model })
      for (const [path, content] of Object.entries(edits)) {
        const callId = newId("call")
        const tool = content === null ? "run" : "write_file"
        const input = content === null ? { command: `rm ${path}` } : { path, content }
        await append(sessionId, "tool.called", { messageId: assistantId, callId, tool, input })
        await append(sessionId, "tool.updated", { callId, status: "running" })
        if (content === null) await project.remove(path)
        else await project.write(path, content)
        await append(sessionId, "tool.updated", { callId, status: "completed", title: path, output: "ok" })
        const recorded = await project.checkpoints.record({
          message: `${tool} (${callId})`,
          meta: { sessionId, messageId, callId },
        })
        if (recorded.changed)
          await append(sessionId, "checkpoint.recorded", {
            checkpointId: recorded.id,
            messageId,
            callId,
            changed: true,
          })
      }
      await append(sessionId, "assistant.text", { messageId: assistantId, text: answer })
      await append(sessionId, "assistant.finished", { messageId: assistantId, reason: "stop", model, usage })
      await append(sessionId, "turn.ended", { turnId, outcome: "completed", usage })
      return messageId
    },
    append,
    events: (sessionId) => bus.read(sessionId, { after: 0, limit: 100_000 }),
    async close() {
      await bus.close()
      await store.close()
      await rm(directory, { recursive: true, force: true })
    },
  }
}

export async function rejectsWith(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  let caught: unknown
  try {
    await promise
  } catch (error) {
    caught = error
  }
  const error = caught as { code?: string; message?: string } | undefined
  if (error?.code !== code)
    throw new Error(`expected ${code}, got ${error?.code ?? "no error"}: ${error?.message}`)
  if (message && !message.test(error.message ?? ""))
    throw new Error(`message "${error.message}" does not match ${message}`)
}
