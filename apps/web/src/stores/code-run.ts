import { ExecOutputData, ExecResultData } from "@xionimus/protocol"
import type { ApiError, Client, StreamClient } from "@xionimus/sdk"
import { createStore, type Store } from "../lib/store.ts"
import { toApiError } from "../lib/to-api-error.ts"

export interface CodeRunState {
  status: "idle" | "running" | "done" | "failed"
  /** stdout and stderr as they arrived, interleaved. */
  output: string
  result: ExecResultData | null
  error: ApiError | null
}

export interface CodeRun {
  state: Store<CodeRunState>
  /** Runs the command in the project's sandbox; output streams in from the run's exec_ stream. */
  start(command: string | string[]): Promise<void>
  dispose(): void
}

/** Output kept per run in the page (the sandbox caps it too). */
const maxOutput = 200_000

/** A code block's run: started through the exec API, followed live on its stream until it finished. */
export function createCodeRun(deps: {
  client: Pick<Client, "exec">
  streams: Pick<StreamClient, "subscribe">
  projectId: string
}): CodeRun {
  const state = createStore<CodeRunState>({ status: "idle", output: "", result: null, error: null })
  let unsubscribe: (() => void) | undefined
  return {
    state,
    async start(command) {
      unsubscribe?.()
      state.set({ status: "running", output: "", result: null, error: null })
      try {
        const started = await deps.client.exec(deps.projectId, { command })
        unsubscribe = deps.streams.subscribe(started.stream, {
          after: 0,
          onEvent(event) {
            if (event.type === "exec.output.appended") {
              const chunk = ExecOutputData.safeParse(event.data)
              if (chunk.success) {
                const output = (state.get().output + chunk.data.text).slice(-maxOutput)
                state.patch({ output })
              }
            } else if (event.type === "exec.run.finished") {
              const result = ExecResultData.safeParse(event.data)
              state.patch({ status: "done", result: result.success ? result.data : null })
              unsubscribe?.()
            } else if (event.type === "exec.run.failed") {
              const failure = (event.data as { error?: { code?: string; message?: string } }).error
              const cause = Object.assign(new Error(failure?.message ?? "The command could not start."), {
                code: failure?.code ?? "INTERNAL",
              })
              state.patch({ status: "failed", error: toApiError(cause) })
              unsubscribe?.()
            }
          },
          onError: (error) => state.patch({ status: "failed", error: toApiError(error) }),
        })
      } catch (error) {
        state.patch({ status: "failed", error: toApiError(error) })
      }
    },
    dispose: () => unsubscribe?.(),
  }
}

/**
 * Writes a code block to a project file. With `expectedVersion` null the file must not exist yet (the
 * caller asks before overwriting and passes the version it saw).
 */
export async function applyCode(
  client: Pick<Client, "writeFile">,
  projectId: string,
  path: string,
  code: string,
  expectedVersion: string | null,
): Promise<void> {
  await client.writeFile(projectId, {
    path,
    content: code.endsWith("\n") ? code : `${code}\n`,
    expectedVersion,
  })
}

/** The version of a file, or null when it does not exist (FILE_NOT_FOUND); other errors are thrown. */
export async function versionOf(
  client: Pick<Client, "readFile">,
  projectId: string,
  path: string,
): Promise<string | null> {
  try {
    return (await client.readFile(projectId, path)).entry.version
  } catch (error) {
    if (toApiError(error).code === "FILE_NOT_FOUND") return null
    throw error
  }
}
