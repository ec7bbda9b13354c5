import type { EventBus } from "@xionimus/bus"
import { AppError } from "@xionimus/kit"
import {
  type Page,
  type RunOrigin,
  type RunState,
  type RunSummary,
  reduceRun,
  runPhase,
} from "@xionimus/protocol"

/**
 * A project's run list: the stream `runs_<projectId>` (one `run.listed` event per run started, forked or
 * imported) read newest first a page at a time, each run with its summary. Neither the list nor a run's
 * log is read whole per request: the list's entries and each run's reduced state are kept here, and a
 * request reads only what was appended since (one read per stream, usually empty).
 */
export interface RunIndex {
  /** Lists a new run in its project. */
  add(entry: {
    runId: string
    projectId: string
    goal: string
    createdBy: string | null
    origin: RunOrigin
  }): Promise<void>
  /** The project's runs, newest first; `cursor` is a page's `nextCursor`. VALIDATION_FAILED for another cursor. */
  page(projectId: string, query: { limit: number; cursor?: string | undefined }): Promise<Page<RunSummary>>
}

export interface RunIndexDeps {
  bus: EventBus
  /** True while this process drives the run (its steps run or its scheduler pumps). */
  driving(runId: string): boolean
  /** Runs whose reduced state is kept (the least recently listed are dropped first; default 2,000). */
  keep?: number
}

/** The list of a project's runs is a stream of its own: one `run.listed` event per run (id = run id). */
export const runIndexStream = (projectId: string) => `runs_${projectId}`

interface Listed {
  runId: string
  listedSeq: number
  goal: string
  createdBy: string | null
  origin: RunOrigin
  createdAt: string
}

interface Folded {
  state: RunState
  updatedAt: string
}

const readPage = 1000

export function summarizeRun(listed: Listed, folded: Folded, driving: boolean): RunSummary {
  const { state } = folded
  const live = state.packages.filter((item) => item.state !== "cancelled")
  return {
    runId: listed.runId,
    listedSeq: listed.listedSeq,
    goal: state.goal || listed.goal,
    createdBy: listed.createdBy,
    createdAt: listed.createdAt,
    updatedAt: folded.updatedAt,
    head: state.head,
    origin: listed.origin,
    phase: runPhase(state, driving),
    packages: { done: live.filter((item) => item.state === "done").length, total: live.length },
    openGates: state.gates.filter((gate) => gate.status === "open").length,
    usage: state.totals.run,
    budget: state.budget,
  }
}

function cursorSeq(cursor: string): number {
  if (/^[1-9][0-9]{0,14}$/.test(cursor)) return Number(cursor)
  throw new AppError("VALIDATION_FAILED", "The cursor is not valid. List again without a cursor.", [
    { path: ["cursor"], message: "not a cursor this server wrote" },
  ])
}

export function createRunIndex(deps: RunIndexDeps): RunIndex {
  const { bus } = deps
  const keep = deps.keep ?? 2000
  /** Per project: its listed runs, oldest first; entry i is the stream's seq i + 1 (seqs are gap-free). */
  const lists = new Map<string, Listed[]>()
  const folds = new Map<string, Folded>()

  async function listOf(projectId: string): Promise<Listed[]> {
    const known = lists.get(projectId) ?? []
    const entries = [...known]
    for (;;) {
      const events = await bus.read(runIndexStream(projectId), { after: entries.length, limit: readPage })
      for (const event of events)
        if (event.seq === entries.length + 1)
          entries.push({
            ...(event.data as Pick<Listed, "runId" | "goal" | "createdBy" | "origin">),
            listedSeq: event.seq,
            createdAt: event.time,
          })
      if (events.length < readPage) break
    }
    // Another request may have read further meanwhile: keep the longer list.
    if (entries.length >= (lists.get(projectId)?.length ?? 0)) lists.set(projectId, entries)
    return lists.get(projectId)!
  }

  /** The run's state: kept, plus what was appended since. */
  async function foldOf(runId: string): Promise<Folded> {
    let folded = folds.get(runId)
    for (;;) {
      const after = folded?.state.head ?? 0
      const events = await bus.read(runId, { after, limit: readPage })
      if (events.length > 0)
        folded = { state: reduceRun(events, folded?.state), updatedAt: events.at(-1)!.time }
      if (events.length < readPage) break
    }
    if (!folded) throw new AppError("RUN_NOT_FOUND", `There is no run ${runId}.`, { runId })
    const other = folds.get(runId)
    if (other && other.state.head > folded.state.head) folded = other
    // Most recently used last, so that the least recently listed are dropped first.
    folds.delete(runId)
    folds.set(runId, folded)
    while (folds.size > keep) folds.delete(folds.keys().next().value!)
    return folded
  }

  return {
    async add(entry) {
      await bus.append(runIndexStream(entry.projectId), [
        {
          id: entry.runId,
          type: "run.listed",
          data: { runId: entry.runId, goal: entry.goal, createdBy: entry.createdBy, origin: entry.origin },
        },
      ])
    },
    async page(projectId, query) {
      const entries = await listOf(projectId)
      // The cursor is the seq of the last run shown: the next page is the runs listed before it.
      const end =
        query.cursor === undefined ? entries.length : Math.min(cursorSeq(query.cursor) - 1, entries.length)
      const start = Math.max(0, end - query.limit)
      const shown = entries.slice(start, end).reverse()
      const items = await Promise.all(
        shown.map(async (listed) =>
          summarizeRun(listed, await foldOf(listed.runId), deps.driving(listed.runId)),
        ),
      )
      return { items, nextCursor: start > 0 ? String(start + 1) : null }
    },
  }
}
