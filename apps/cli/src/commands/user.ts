import { AppError } from "@xionimus/kit"
import { type CliIo, writeLine } from "../cli-io.ts"
import { openCliAccounts, operator, readSecret } from "../open-cli-accounts.ts"

export interface UserCreateOptions {
  email: string
  name?: string
  passwordStdin?: boolean
  admin?: boolean
  dataDir?: string
}

/**
 * `xionimus user create`: a user with the password read from stdin. The first user of an instance is
 * always an administrator (the owner), so that an instance never has users but no administrator.
 */
export async function userCreateCommand(options: UserCreateOptions, io: CliIo): Promise<number> {
  if (!options.passwordStdin) {
    throw new AppError(
      "VALIDATION_FAILED",
      "Pass the password on stdin with --password-stdin (never as an argument: it would stay in shell history).",
    )
  }
  const password = await readSecret(io)
  const accounts = await openCliAccounts(io, options.dataDir)
  try {
    const first = await accounts.auth.setupRequired()
    const user = await accounts.auth.createUser(
      {
        email: options.email.trim().toLowerCase(),
        password,
        admin: Boolean(options.admin) || first,
        ...(options.name ? { name: options.name } : {}),
      },
      operator,
    )
    writeLine(io.stdout, `created ${user.admin ? "administrator" : "user"} ${user.email} (${user.id})`)
    if (first && !options.admin)
      writeLine(io.stdout, "the first user is the owner, so it is an administrator")
    return 0
  } finally {
    await accounts.close()
  }
}

type Accounts = Awaited<ReturnType<typeof openCliAccounts>>
type User = Awaited<ReturnType<Accounts["auth"]["listUsersPage"]>>["items"][number]

/** `xionimus user list`: every user by e-mail address, one per line (or JSON), read a page at a time. */
export async function userListCommand(
  options: {
    json?: boolean
    dataDir?: string
    /** Users read per query (1–200, default 200); the output is the same whatever it is. */
    pageSize?: number
  },
  io: CliIo,
): Promise<number> {
  const accounts = await openCliAccounts(io, options.dataDir)
  try {
    const collected: User[] = []
    let listed = 0
    let cursor: string | undefined
    do {
      const page = await accounts.auth.listUsersPage({ limit: options.pageSize ?? 200, cursor })
      listed += page.items.length
      // Lines go out page by page; JSON is one array, so it waits for the last page.
      if (options.json) collected.push(...page.items)
      else for (const user of page.items) writeLine(io.stdout, userLine(user))
      cursor = page.nextCursor ?? undefined
    } while (cursor !== undefined)
    if (options.json) writeLine(io.stdout, JSON.stringify(collected, null, 2))
    else if (listed === 0)
      writeLine(io.stdout, "no users yet: create the owner with `xionimus user create --admin`")
    return 0
  } finally {
    await accounts.close()
  }
}

function userLine(user: User): string {
  const flags = [user.admin ? "admin" : "", user.disabledAt ? `disabled ${user.disabledAt}` : ""].filter(
    Boolean,
  )
  return `${user.id}  ${user.email}${flags.length > 0 ? `  (${flags.join(", ")})` : ""}`
}

/** `xionimus user disable|enable <email>`: a disabled user's sessions end and keys stop working. */
export async function userDisableCommand(
  email: string,
  options: { dataDir?: string; enable?: boolean },
  io: CliIo,
): Promise<number> {
  const accounts = await openCliAccounts(io, options.dataDir)
  try {
    const user = await accounts.auth.findUserByEmail(email)
    await accounts.auth.setUserDisabled(user.id, !options.enable, operator)
    writeLine(io.stdout, `${options.enable ? "enabled" : "disabled"} ${user.email} (${user.id})`)
    return 0
  } finally {
    await accounts.close()
  }
}

/** `xionimus user delete <email> --yes`: deletes the account as an administrator would (docs/auth.md). */
export async function userDeleteCommand(
  email: string,
  options: { dataDir?: string; yes?: boolean },
  io: CliIo,
): Promise<number> {
  if (!options.yes)
    throw new AppError(
      "VALIDATION_FAILED",
      `Deleting ${email} cannot be undone (their keys, sessions and memberships go). Add --yes to go ahead.`,
    )
  const accounts = await openCliAccounts(io, options.dataDir)
  try {
    const user = await accounts.auth.findUserByEmail(email)
    const outcome = await accounts.deleteUser(user.id, operator)
    writeLine(
      io.stdout,
      `deleted ${user.email} (${user.id}): ${outcome.sessionsDeleted} sessions deleted, ${outcome.sessionsTransferred} handed over, ${outcome.projectsDeleted} projects deleted`,
    )
    return 0
  } finally {
    await accounts.close()
  }
}
