import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createWorkspaceManager, type ProjectFiles } from "@xionimus/workspace"
import { createSessionState } from "../src/session-state.ts"
import type { PermissionAsk, ToolContext } from "../src/types.ts"

export interface ToolFixture {
  directory: string
  /** Host path of the project's workspace. */
  workspace: string
  files: ProjectFiles
  /** Every permission request the tools made, in order. */
  asked: PermissionAsk[]
  context(overrides?: Partial<ToolContext>): ToolContext
  [Symbol.asyncDispose](): Promise<void>
}

/** A temp workspace with one empty project and a context whose `ask` allows everything (and records it). */
export async function createToolFixture(): Promise<ToolFixture> {
  const directory = await mkdtemp(join(tmpdir(), "xionimus-tools-"))
  const manager = createWorkspaceManager({
    root: join(directory, "workspaces"),
    limits: { maxFileBytes: 4 * 1024 * 1024, maxUploadBytes: 8 * 1024 * 1024, maxUploadFiles: 100 },
  })
  await manager.create("prj_tools", { kind: "empty" })
  const files = manager.files("prj_tools")
  const asked: PermissionAsk[] = []
  return {
    directory,
    workspace: join(directory, "workspaces", "prj_tools"),
    files,
    asked,
    context(overrides = {}) {
      return {
        sessionId: "ses_test",
        messageId: "msg_test",
        callId: "call_1",
        signal: new AbortController().signal,
        files,
        session: createSessionState(),
        async ask(request) {
          asked.push(request)
        },
        ...overrides,
      }
    },
    [Symbol.asyncDispose]: () => rm(directory, { recursive: true, force: true }),
  }
}

export const text = (value: string) => Buffer.from(value, "utf8")
