import type { Command } from "commander"
import { dataDirHelp } from "./cli-help.ts"
import type { CliIo } from "./cli-io.ts"
import { apiKeyCreateCommand, apiKeyListCommand, apiKeyRevokeCommand } from "./commands/api-key.ts"
import { quotaShowCommand } from "./commands/quota.ts"
import { secretsRotateCommand, secretsStatusCommand } from "./commands/secrets.ts"
import { userCreateCommand, userDeleteCommand, userDisableCommand, userListCommand } from "./commands/user.ts"

/** `user` and `api-key`: operator commands on the accounts of a data directory (docs/auth.md). */
export function registerAccountCommands(
  program: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
): void {
  const user = program.command("user").description("manage user accounts (operator commands)")
  user
    .command("create")
    .description("create a user; the first one is the owner (an administrator)")
    .requiredOption("--email <email>", "the user's e-mail address")
    .option("--name <name>", "display name (default: the e-mail's local part)")
    .option("--password-stdin", "read the password from stdin")
    .option("--admin", "make the user an instance administrator")
    .option("--data-dir <dir>", dataDirHelp)
    .action(async (options) => setExitCode(await userCreateCommand(options, io)))
  user
    .command("list")
    .description("list users")
    .option("--json", "print them as JSON")
    .option("--data-dir <dir>", dataDirHelp)
    .action(async (options) => setExitCode(await userListCommand(options, io)))
  user
    .command("disable")
    .description("disable a user: their sessions end, their API keys stop working")
    .argument("<email>", "the user's e-mail address")
    .option("--data-dir <dir>", dataDirHelp)
    .action(async (email: string, options) => setExitCode(await userDisableCommand(email, options, io)))
  user
    .command("enable")
    .description("enable a disabled user again")
    .argument("<email>", "the user's e-mail address")
    .option("--data-dir <dir>", dataDirHelp)
    .action(async (email: string, options) =>
      setExitCode(await userDisableCommand(email, { ...options, enable: true }, io)),
    )
  user
    .command("delete")
    .description("delete a user's account (keys, sessions, memberships; audit entries stay)")
    .argument("<email>", "the user's e-mail address")
    .option("--yes", "confirm: deleting cannot be undone")
    .option("--data-dir <dir>", dataDirHelp)
    .action(async (email: string, options) => setExitCode(await userDeleteCommand(email, options, io)))

  const apiKey = program.command("api-key").description("manage API keys (operator commands)")
  apiKey
    .command("create")
    .description("create an API key; the key is printed alone on the last line, once")
    .requiredOption("--user <email>", "the e-mail address of the key's user")
    .requiredOption("--scope <scope>", "read, write or admin")
    .option("--name <name>", "what the key is for")
    .option("--expires <days>", "expire after this many days (default: never)")
    .option("--data-dir <dir>", dataDirHelp)
    .action(async (options) => setExitCode(await apiKeyCreateCommand(options, io)))
  apiKey
    .command("list")
    .description("list API keys (never their secrets)")
    .option("--user <email>", "only this user's keys")
    .option("--json", "print them as JSON")
    .option("--data-dir <dir>", dataDirHelp)
    .action(async (options) => setExitCode(await apiKeyListCommand(options, io)))
  apiKey
    .command("revoke")
    .description("revoke an API key at once")
    .argument("<id>", "the key's id (key_…)")
    .option("--data-dir <dir>", dataDirHelp)
    .action(async (id: string, options) => setExitCode(await apiKeyRevokeCommand(id, options, io)))

  const quota = program.command("quota").description("usage against quotas (docs/auth.md#quotas)")
  quota
    .command("show")
    .description("a user's or a team's usage against each quota")
    .option("--user <email>", "the user's e-mail address (or id)")
    .option("--team <id>", "the team's id (tem_…)")
    .option("--json", "print it as JSON")
    .option("--data-dir <dir>", dataDirHelp)
    .action(async (options) => setExitCode(await quotaShowCommand(options, io)))

  const secrets = program
    .command("secrets")
    .description("the key encrypting stored secrets (provider keys, TOTP secrets)")
  secrets
    .command("rotate")
    .description("make a new secrets key current and re-encrypt every stored secret with it")
    .option("--grace <duration>", "how long replaced keys still decrypt (30m, 24h, 7d, 0)", "24h")
    .option("--json", "print the outcome as JSON")
    .option("--data-dir <dir>", dataDirHelp)
    .action(async (options) => setExitCode(await secretsRotateCommand(options, io)))
  secrets
    .command("status")
    .description("the keys in force: which is current, when the others retire")
    .option("--json", "print them as JSON")
    .option("--data-dir <dir>", dataDirHelp)
    .action(async (options) => setExitCode(await secretsStatusCommand(options, io)))
}
