import type { EventBus } from "@xionimus/bus"
import { newId, toAppError } from "@xionimus/kit"
import type { ExecBody, ExecResultData, NewEvent } from "@xionimus/protocol"
import { execStreamName } from "@xionimus/protocol"
import type { ExecResult, OutputChunk, Sandbox } from "@xionimus/sandbox"
import type { FastifyBaseLogger } from "fastify"

/** Output is appended in batches: after this much text or this long, whichever comes first. */
const batchBytes = 64 * 1024
const batchMs = 50

export interface StartedRun {
  runId: string
  stream: string
  /** Resolves once the run ended and its last event is in the log. */
  done: Promise<{ result: ExecResultData; stdout: string; stderr: string }>
}

/**
 * Starts a run in the project's sandbox and writes its life to the event log as ordered events on its own
 * stream: exec.run.started, exec.output.appended (batched, stdout and stderr in the order they came),
 * exec.run.finished (or exec.run.failed when it could not start). `keepOutput` also collects the text for an answer that waits for the run.
 */
export function startExecRun(options: {
  sandbox: Sandbox
  bus: EventBus
  projectId: string
  body: ExecBody & { command: string | string[] }
  logger: Pick<FastifyBaseLogger, "warn">
  keepOutput: boolean
  signal?: AbortSignal
}): StartedRun {
  const { bus, body, logger } = options
  const runId = newId("run")
  const stream = execStreamName(options.projectId, runId)
  let chain: Promise<unknown> = Promise.resolve()
  const append = (type: string, data: unknown) => {
    const event: NewEvent = { id: newId("evt"), type, data }
    chain = chain
      .then(() => bus.append(stream, [event]))
      .catch((error: unknown) => {
        logger.warn({ err: error, stream }, "exec event not stored")
      })
  }
  const kept = { stdout: [] as Buffer[], stderr: [] as Buffer[] }
  let pending: { stream: OutputChunk["stream"]; parts: Buffer[]; bytes: number } | null = null
  let timer: NodeJS.Timeout | null = null
  const flush = () => {
    if (timer) clearTimeout(timer)
    timer = null
    if (!pending) return
    append("exec.output.appended", {
      stream: pending.stream,
      text: Buffer.concat(pending.parts).toString("utf8"),
    })
    pending = null
  }
  const onOutput = (chunk: OutputChunk) => {
    if (options.keepOutput) kept[chunk.stream].push(chunk.data)
    if (pending && pending.stream !== chunk.stream) flush()
    pending ??= { stream: chunk.stream, parts: [], bytes: 0 }
    pending.parts.push(chunk.data)
    pending.bytes += chunk.data.length
    if (pending.bytes >= batchBytes) flush()
    else timer ??= setTimeout(flush, batchMs)
  }

  append("exec.run.started", {
    runId,
    projectId: options.projectId,
    command: body.command,
    cwd: body.cwd ?? "/workspace",
  })
  const done = options.sandbox
    .exec({
      command: typeof body.command === "string" ? { shell: body.command } : { argv: toArgv(body.command) },
      ...(body.cwd !== undefined ? { cwd: body.cwd } : {}),
      ...(body.env ? { env: body.env } : {}),
      ...(body.stdin !== undefined ? { stdin: body.stdin } : {}),
      ...(body.timeoutMs !== undefined ? { limits: { timeoutMs: body.timeoutMs } } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      onOutput,
    })
    .then(async (result) => {
      flush()
      const data = resultData(result)
      append("exec.run.finished", data)
      await chain
      return {
        result: data,
        stdout: Buffer.concat(kept.stdout).toString("utf8"),
        stderr: Buffer.concat(kept.stderr).toString("utf8"),
      }
    })
  // A run that could not start (queue full, sandbox released) still ends its stream.
  done.catch((error: unknown) => {
    flush()
    append("exec.run.failed", { error: toAppError(error).toJSON() })
  })
  return { runId, stream, done }
}

function toArgv(command: string[]): [string, ...string[]] {
  const [first = "", ...rest] = command
  return [first, ...rest]
}

export function resultData(result: ExecResult): ExecResultData {
  return {
    exitCode: result.exitCode,
    signal: result.signal,
    limit: result.limit,
    aborted: result.aborted,
    truncated: result.truncated,
    usage: result.usage,
  }
}
