import { readFile, writeFile } from "node:fs/promises"
import { resolve } from "node:path"
import { AppError } from "@xionimus/kit"
import type { HeadlessSessions } from "@xionimus/server"
import { type CliIo, writeLine } from "../cli-io.ts"
import { loadCliConfig } from "../load-cli-config.ts"
import { openHeadless, usageError } from "../open-headless.ts"
import type { Session } from "../run/session-types.ts"

interface DataDirOption {
  dataDir?: string
}

/** Opens the sessions of the configured data directory for `work`, and closes them after. */
async function withSessions<T>(
  io: CliIo,
  options: DataDirOption,
  work: (headless: HeadlessSessions) => Promise<T>,
): Promise<T> {
  const { config } = await loadCliConfig(io, { dataDir: options.dataDir })
  const headless = await openHeadless(config, io)
  try {
    return await work(headless)
  } finally {
    await headless.close()
  }
}

async function allPages<T>(read: (cursor?: string) => Promise<{ items: T[]; nextCursor: string | null }>) {
  const items: T[] = []
  let cursor: string | undefined
  do {
    const page = await read(cursor)
    items.push(...page.items)
    cursor = page.nextCursor ?? undefined
  } while (cursor)
  return items
}

const pageOf = (cursor?: string) => ({ limit: 200, ...(cursor ? { cursor } : {}) })

/** `xionimus sessions list [--project <dir or id>]`: the sessions of one project or of every project. */
export async function sessionsListCommand(
  options: DataDirOption & { project?: string; json?: boolean },
  io: CliIo,
): Promise<number> {
  return withSessions(io, options, async (headless) => {
    const projects = options.project
      ? [await headless.findProject(options.project, io.cwd)]
      : await allPages((cursor) =>
          headless.services.store.projects.list({ ...pageOf(cursor), deleted: "exclude" }),
        )
    const rows: { session: Session; project: string }[] = []
    for (const project of projects) {
      const sessions = await allPages((cursor) => headless.engine.list(project.id, pageOf(cursor)))
      rows.push(...sessions.map((session) => ({ session, project: project.name })))
    }
    rows.sort((a, b) => b.session.updatedAt.localeCompare(a.session.updatedAt))
    if (options.json) {
      writeLine(
        io.stdout,
        JSON.stringify(
          rows.map((row) => row.session),
          null,
          2,
        ),
      )
      return 0
    }
    if (rows.length === 0)
      writeLine(io.stdout, 'no sessions yet: start one with `xionimus run --project <dir> "message"`')
    for (const { session, project } of rows) {
      writeLine(
        io.stdout,
        `${session.id}  ${session.updatedAt}  ${session.runState.padEnd(11)}  ${String(session.head).padStart(5)} events  ${project}  ${session.title}`,
      )
    }
    return 0
  })
}

/** `xionimus sessions show <id>`: the transcript as Markdown, or the events as NDJSON with --json. */
export async function sessionsShowCommand(
  sessionId: string,
  options: DataDirOption & { json?: boolean },
  io: CliIo,
): Promise<number> {
  return withSessions(io, options, async ({ engine, services }) => {
    if (!options.json) {
      io.stdout.write(await engine.exportMarkdown(sessionId))
      return 0
    }
    await engine.get(sessionId)
    let after = 0
    for (;;) {
      const events = await services.bus.read(sessionId, { after, limit: 1000 })
      for (const event of events) writeLine(io.stdout, JSON.stringify(event))
      if (events.length < 1000) return 0
      after = events.at(-1)!.seq
    }
  })
}

/** `xionimus sessions export <id>`: the JSON export (importable) or Markdown, to stdout or a file. */
export async function sessionsExportCommand(
  sessionId: string,
  options: DataDirOption & { format?: string; output?: string },
  io: CliIo,
): Promise<number> {
  const format = options.format ?? "json"
  if (format !== "json" && format !== "markdown")
    return usageError(io, `--format takes json or markdown, not "${format}"`)
  return withSessions(io, options, async ({ engine }) => {
    const text =
      format === "json"
        ? `${JSON.stringify(await engine.exportJson(sessionId), null, 2)}\n`
        : await engine.exportMarkdown(sessionId)
    if (!options.output) {
      io.stdout.write(text)
      return 0
    }
    const file = resolve(io.cwd, options.output)
    await writeFile(file, text)
    writeLine(io.stderr, `exported ${sessionId} to ${file}`)
    return 0
  })
}

/** `xionimus sessions import <file> --project <dir or id>`: a JSON export as a new session of the project. */
export async function sessionsImportCommand(
  file: string,
  options: DataDirOption & { project: string },
  io: CliIo,
): Promise<number> {
  const path = resolve(io.cwd, file)
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new AppError(
      "VALIDATION_FAILED",
      `The file ${path} cannot be read (${error.code ?? error.message}).`,
      {
        path,
      },
    )
  })
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    throw new AppError(
      "EXPORT_INVALID",
      `${path} is not JSON; import a file written by \`xionimus sessions export --format json\`.`,
      { path },
    )
  }
  return withSessions(io, options, async (headless) => {
    const project = /^prj_/.test(options.project)
      ? await headless.findProject(options.project, io.cwd)
      : await headless.projectForDirectory(resolve(io.cwd, options.project))
    const session = await headless.engine.importJson(project.id, data, null)
    writeLine(io.stdout, `imported ${session.id} into ${project.name} (${project.id}): ${session.title}`)
    return 0
  })
}
