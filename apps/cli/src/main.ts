import { Command, CommanderError } from "commander"
import { registerAccountCommands } from "./account-commands.ts"
import { dataDirHelp } from "./cli-help.ts"
import { type CliIo, processIo, writeLine } from "./cli-io.ts"
import { configShowCommand } from "./commands/config-show.ts"
import { doctorCommand } from "./commands/doctor.ts"
import { execCommand } from "./commands/exec.ts"
import { migrateCommand } from "./commands/migrate.ts"
import { modelsCommand, modelsTestCommand } from "./commands/models.ts"
import {
  gateExit,
  orchestraContextCommand,
  orchestraDecideCommand,
  orchestraExportCommand,
  orchestraGatesCommand,
  orchestraListCommand,
  orchestraResumeCommand,
  orchestraStartCommand,
  orchestraStatusCommand,
} from "./commands/orchestra.ts"
import { serveCommand } from "./commands/serve.ts"
import { usageCommand } from "./commands/usage-report.ts"
import { cliVersion, versionCommand } from "./commands/version.ts"
import { formatError } from "./format-error.ts"
import { registerSessionCommands } from "./session-commands.ts"

const configHelp = `
Configuration: defaults < $XDG_CONFIG_HOME/xionimus/config.json < .xionimus/config.json
< XIONIMUS_* environment < flags. See docs/configuration.md.`

function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command("xionimus")
    .description("Xionimus: a self-hosted, browser-based AI software-development platform")
    .version(cliVersion, "-V, --version", "print the Xionimus version")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Usage errors are printed by runCli in the one error format.
      outputError: () => {},
    })
    .addHelpText("after", configHelp)

  program
    .command("serve")
    .description("run the server")
    .option("--port <port>", "port to listen on (default 4100; 0 picks a free one)")
    .option("--host <host>", "address to listen on (default 127.0.0.1)")
    .option("--data-dir <dir>", dataDirHelp)
    .option("--log-level <level>", "fatal, error, warn, info, debug, trace or silent (default info)")
    .action(async (options) => setExitCode(await serveCommand(options, io)))

  program
    .command("migrate")
    .description("apply pending database migrations and list them")
    .option("--data-dir <dir>", dataDirHelp)
    .action(async (options) => setExitCode(await migrateCommand(options, io)))

  program
    .command("doctor")
    .description("check that this machine has what Xionimus needs, with a fix for each failure")
    .option("--data-dir <dir>", dataDirHelp)
    .option("--json", "print the results as JSON")
    .action(async (options) => setExitCode(await doctorCommand(options, io)))

  program
    .command("exec")
    .description("run a command in a sandbox over a project directory (network off, limits on)")
    .requiredOption("--project <dir>", "the project directory, mounted read-write at /workspace")
    .option("--cwd <dir>", "working directory inside the sandbox (default /workspace)")
    .option("--timeout <ms>", "wall-clock limit in milliseconds (default: sandbox.timeoutMs)")
    .option("--shell", "run the words as one /bin/sh -c command line")
    .option("--data-dir <dir>", dataDirHelp)
    .argument("<command...>", "the command and its arguments, after --")
    .action(async (command: string[], options) => setExitCode(await execCommand(command, options, io)))

  const models = program
    .command("models")
    .description("list the configured models with context size and prices per million tokens")
    .option("--data-dir <dir>", dataDirHelp)
    .option("--json", "print them as JSON")
    .action(async (options) => setExitCode(await modelsCommand(options, io)))
  models
    .command("test")
    .description("test a configured provider: list the models its endpoint offers, or say why it failed")
    .argument("<provider>", "a provider id from the configuration")
    .option("--data-dir <dir>", dataDirHelp)
    .option("--json", "print the result as JSON")
    .action(async (provider: string, options) => setExitCode(await modelsTestCommand(provider, options, io)))

  program
    .command("usage")
    .description("model usage totals (tokens, cost) from the database")
    .option("--user <id>", "only this user's calls")
    .option("--team <id>", "only this team's calls")
    .option("--project <id>", "only this project's calls")
    .option("--session <id>", "only this session's calls")
    .option("--from <date>", "from this date or time (inclusive)")
    .option("--to <date>", "until this date or time (exclusive)")
    .option("--by <group>", "group by day, provider, model, user, team, project, session or outcome")
    .option("--data-dir <dir>", dataDirHelp)
    .option("--json", "print the report as JSON")
    .action(async (options) => setExitCode(await usageCommand(options, io)))

  registerSessionCommands(program, io, setExitCode)
  registerOrchestraCommands(program, io, setExitCode)
  registerAccountCommands(program, io, setExitCode)

  const config = program.command("config").description("inspect the configuration")
  config
    .command("show")
    .description("print the effective configuration (secrets redacted) and where each value comes from")
    .option("--data-dir <dir>", dataDirHelp)
    .option("--json", "print it as JSON")
    .action(async (options) => setExitCode(await configShowCommand(options, io)))

  program
    .command("version")
    .description("print the Xionimus and Node versions")
    .action(() => setExitCode(versionCommand(io)))

  return program
}

/** `orchestra`: runs of several agents under human gates, in this process (docs/orchestra.md). */
function registerOrchestraCommands(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const orchestra = program
    .command("orchestra")
    .description(
      "start and conduct orchestra runs: conductor, implementers, tester, reviewer and you at the gates",
    )
    .addHelpText(
      "after",
      `\nstart, approve, reject and resume drive the run in this process until it waits at a gate or ends.\nExit codes: 0 done, 1 ended otherwise (failed, cancelled, budget), 2 usage, ${gateExit} waiting at a gate.`,
    )
  orchestra
    .command("start")
    .description("start a run on a goal and drive it to its first gate")
    .requiredOption("--project <dir>", "the project directory (registered as a project on first use)")
    .option(
      "--preset <name or file>",
      "default (conductor, implementer, tester, reviewer) or a JSON file of roles",
    )
    .option("--max-calls <n>", "the run's budget in model calls (a budget gate opens when reached)")
    .option("--json", "print the run's status as JSON")
    .option("--data-dir <dir>", dataDirHelp)
    .argument("<goal>", "what the run should achieve")
    .action(async (goal: string, options) => setExitCode(await orchestraStartCommand(goal, options, io)))
  orchestra
    .command("list")
    .description("list a project's runs, newest first")
    .requiredOption("--project <dir or id>", "the project: a directory or prj_…")
    .option("--json", "print them as JSON")
    .option("--data-dir <dir>", dataDirHelp)
    .action(async (options) => setExitCode(await orchestraListCommand(options, io)))
  orchestra
    .command("status")
    .description("print a run's state: packages, gates waiting, usage")
    .argument("<run>", "the run's id (orc_…)")
    .option("--json", "print the whole status as JSON")
    .option("--data-dir <dir>", dataDirHelp)
    .action(async (run: string, options) => setExitCode(await orchestraStatusCommand(run, options, io)))
  orchestra
    .command("gates")
    .description("list the gates waiting for a decision")
    .argument("<run>", "the run's id (orc_…)")
    .option("--all", "decided gates too")
    .option("--json", "print them as JSON")
    .option("--data-dir <dir>", dataDirHelp)
    .action(async (run: string, options) => setExitCode(await orchestraGatesCommand(run, options, io)))
  for (const decision of ["approve", "reject"] as const) {
    orchestra
      .command(decision)
      .description(
        decision === "approve"
          ? "approve a gate, then drive the run to its next gate or its end"
          : "reject a gate with a comment the agent reads, then drive the run on",
      )
      .argument("<gate>", "the gate's id (gat_…)")
      .option("--run <run>", "the run's id (default: read from the gate's id)")
      .option(
        "--comment <text>",
        decision === "approve" ? "a note for the agents" : "what to do instead (required)",
      )
      .option("--json", "print the run's status as JSON")
      .option("--data-dir <dir>", dataDirHelp)
      .action(async (gate: string, options) =>
        setExitCode(await orchestraDecideCommand(decision, gate, options, io)),
      )
  }
  orchestra
    .command("resume")
    .description("drive a stopped run again to its next gate or its end")
    .argument("<run>", "the run's id (orc_…)")
    .option("--json", "print the run's status as JSON")
    .option("--data-dir <dir>", dataDirHelp)
    .action(async (run: string, options) => setExitCode(await orchestraResumeCommand(run, options, io)))
  orchestra
    .command("context")
    .description("the run's shared CONTEXT.md")
    .command("show")
    .description("print CONTEXT.md as the run has it now")
    .argument("<run>", "the run's id (orc_…)")
    .option("--data-dir <dir>", dataDirHelp)
    .action(async (run: string, options) => setExitCode(await orchestraContextCommand(run, options, io)))
  orchestra
    .command("export")
    .description("export a run as JSON: its events, CONTEXT.md and a Markdown report")
    .argument("<run>", "the run's id (orc_…)")
    .option("--output <file>", "write to this file instead of stdout")
    .option("--data-dir <dir>", dataDirHelp)
    .action(async (run: string, options) => setExitCode(await orchestraExportCommand(run, options, io)))
}

function usageExit(error: CommanderError, io: CliIo): number {
  if (error.exitCode === 0) return 0 // --help, --version
  // "commander.help": help was shown because no (sub)command was given.
  if (error.code !== "commander.help") {
    writeLine(io.stderr, `error USAGE: ${error.message.replace(/^error: /, "")}`)
    writeLine(io.stderr, "Run `xionimus --help` (or `xionimus <command> --help`) for usage.")
  }
  return 2
}

/**
 * Runs the command line `argv` (without node and the script) against `io` and resolves to the exit
 * code: 0 done, 1 failed (printed as `error CODE: message`), 2 the command line could not be parsed.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0
  const program = buildProgram(io, (code) => {
    exitCode = code
  })
  try {
    await program.parseAsync([...argv], { from: "user" })
    return exitCode
  } catch (error) {
    if (error instanceof CommanderError) return usageExit(error, io)
    io.stderr.write(formatError(error))
    return 1
  }
}

/** The entry point of bin/xionimus.js. */
export async function main(): Promise<void> {
  const code = await runCli(process.argv.slice(2), processIo())
  // Exit explicitly: a database pool or a socket left open by a library must not keep the CLI alive.
  process.exit(code)
}
