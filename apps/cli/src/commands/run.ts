import { isAbsolute, relative, resolve } from "node:path"
import { type CliIo, writeLine } from "../cli-io.ts"
import { loadCliConfig } from "../load-cli-config.ts"
import { openHeadless, usageError } from "../open-headless.ts"
import { createEventPrinter } from "../run/event-printer.ts"
import { askPermission } from "../run/permission-prompt.ts"
import type { StoredEvent } from "../run/session-types.ts"

export interface RunOptions {
  project: string
  model?: string
  /** Files inside the project directory (relative to the current directory) sent with the message. */
  attach?: string[]
  json?: boolean
  yes?: boolean
  dataDir?: string
}

interface TurnEnd {
  outcome: string
  message?: string
  error?: { code: string; message: string }
}

/** Exit codes of `run` besides 0 (completed), 1 (failed) and 2 (usage). */
export const pausedExit = 3
export const cancelledExit = 130

function exitCodeOf(outcome: string): number {
  if (outcome === "completed") return 0
  if (outcome === "budget" || outcome === "limit") return pausedExit
  if (outcome === "cancelled") return cancelledExit
  return 1
}

const modelPattern = /^[^/\s]+\/\S+$/

/**
 * `xionimus run --project <dir> "message"`: one turn of the agent on a directory, without the browser.
 * The directory is registered as a project of the data directory (found again by its path next time) and
 * the session is stored, so `sessions list` and the server show it. Prints the turn as it streams (or
 * its events as NDJSON with --json); SIGINT cancels the turn. Exit: 0 completed, 1 failed, 3 paused by a
 * budget or the step limit, 130 cancelled.
 */
export async function runCommand(message: string, options: RunOptions, io: CliIo): Promise<number> {
  if (!message.trim())
    return usageError(io, 'give the message to send, e.g. xionimus run --project . "add a test"')
  if (options.model !== undefined && !modelPattern.test(options.model))
    return usageError(io, `--model takes <provider>/<model> (e.g. openai/gpt-5-mini), not "${options.model}"`)
  const projectDir = resolve(io.cwd, options.project)
  const attachments: string[] = []
  for (const file of options.attach ?? []) {
    const path = relative(projectDir, resolve(io.cwd, file))
    if (!path || path.startsWith("..") || isAbsolute(path))
      return usageError(
        io,
        `--attach takes files inside the project directory (${projectDir}), not "${file}"`,
      )
    attachments.push(path.split("\\").join("/"))
  }
  const { config } = await loadCliConfig(io, { dataDir: options.dataDir })
  const headless = await openHeadless(config, io, options.yes ? { mode: "full-auto" } : {})
  try {
    const { engine, services } = headless
    const project = await headless.projectForDirectory(projectDir)
    const model = options.model ? { model: options.model } : {}
    const session = await engine.create({ projectId: project.id, createdBy: null, ...model })
    if (!options.json) writeLine(io.stderr, `session ${session.id} · project ${project.name} (${project.id})`)

    const prompts = new AbortController()
    let answering: Promise<unknown> = Promise.resolve()
    /** Questions are answered one after another (a person reads one at a time). */
    const answer = (event: StoredEvent) => {
      const request = event.data as { id: string; title: string }
      answering = answering
        .then(() => askPermission(io, request.title, prompts.signal))
        .then((decision) => engine.decide(session.id, request.id, decision, null))
        // The turn may have ended meanwhile (cancelled): nothing waits for the answer any more.
        .catch(() => undefined)
    }

    const printer = createEventPrinter(io.stdout, io.stderr)
    let ended!: (end: TurnEnd) => void
    let failed!: (error: unknown) => void
    const turnEnded = new Promise<TurnEnd>((resolveEnd, rejectEnd) => {
      ended = resolveEnd
      failed = rejectEnd
    })
    const subscription = await services.bus.subscribe(session.id, {
      after: 0,
      onEvent(event) {
        if (options.json) writeLine(io.stdout, JSON.stringify(event))
        else printer.print(event)
        if (event.type === "permission.asked") answer(event)
        if (event.type === "turn.ended") ended(event.data as TurnEnd)
      },
      onError: (error) => failed(error),
    })
    let cancelling = false
    const stopSignals = io.onSignal(() => {
      if (cancelling) return
      cancelling = true
      prompts.abort()
      engine.cancel(session.id).catch(() => undefined)
    })
    try {
      await engine.send(session.id, {
        text: message,
        authorId: null,
        ...model,
        ...(attachments.length > 0 ? { attachments } : {}),
      })
      const end = await turnEnded
      await engine.idle(session.id)
      if (options.json && end.outcome === "failed")
        writeLine(
          io.stderr,
          `error ${end.error?.code ?? "INTERNAL"}: ${end.error?.message ?? end.message ?? ""}`,
        )
      return exitCodeOf(end.outcome)
    } finally {
      stopSignals()
      prompts.abort()
      subscription.dispose()
    }
  } finally {
    await headless.close()
  }
}
