import type { Command } from "commander"
import { dataDirHelp } from "./cli-help.ts"
import type { CliIo } from "./cli-io.ts"
import { cancelledExit, pausedExit, runCommand } from "./commands/run.ts"
import {
  sessionsExportCommand,
  sessionsImportCommand,
  sessionsListCommand,
  sessionsShowCommand,
} from "./commands/sessions.ts"

/** `run` and `sessions`: agent sessions in this process, on the data directory's store (docs/cli.md). */
export function registerSessionCommands(
  program: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
): void {
  program
    .command("run")
    .description("run one agent turn on a project directory, without the browser")
    .requiredOption("--project <dir>", "the project directory (registered as a project on first use)")
    .option("--model <provider/model>", "the model (default: models.default from the configuration)")
    .option(
      "--attach <file>",
      "send a file of the project with the message (repeatable); a vision model sees images",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option("--json", "print the session's events as NDJSON instead of the transcript")
    .option("--yes", "full-auto: allow edits and commands inside the sandbox without asking")
    .option("--data-dir <dir>", dataDirHelp)
    .argument("<message>", "what to ask the agent")
    .addHelpText(
      "after",
      `\nExit codes: 0 completed, 1 failed, 2 usage, ${pausedExit} paused (budget or step limit), ${cancelledExit} cancelled (Ctrl-C).`,
    )
    .action(async (message: string, options) => setExitCode(await runCommand(message, options, io)))

  const sessions = program.command("sessions").description("list, show, export and import agent sessions")
  sessions
    .command("list")
    .description("list sessions, newest activity first")
    .option("--project <dir or id>", "only this project's sessions (a directory or prj_…)")
    .option("--json", "print them as JSON")
    .option("--data-dir <dir>", dataDirHelp)
    .action(async (options) => setExitCode(await sessionsListCommand(options, io)))
  sessions
    .command("show")
    .description("print a session's transcript as Markdown (or its events as NDJSON)")
    .argument("<id>", "the session's id (ses_…)")
    .option("--json", "print the events as NDJSON")
    .option("--data-dir <dir>", dataDirHelp)
    .action(async (id: string, options) => setExitCode(await sessionsShowCommand(id, options, io)))
  sessions
    .command("export")
    .description("export a session as JSON (importable) or Markdown")
    .argument("<id>", "the session's id (ses_…)")
    .option("--format <format>", "json (default) or markdown")
    .option("--output <file>", "write to this file instead of stdout")
    .option("--data-dir <dir>", dataDirHelp)
    .action(async (id: string, options) => setExitCode(await sessionsExportCommand(id, options, io)))
  sessions
    .command("import")
    .description("import a JSON export as a new session of a project")
    .argument("<file>", "a file written by `sessions export --format json`")
    .requiredOption("--project <dir or id>", "the project: a directory (registered on first use) or prj_…")
    .option("--data-dir <dir>", dataDirHelp)
    .action(async (file: string, options) => setExitCode(await sessionsImportCommand(file, options, io)))
}
