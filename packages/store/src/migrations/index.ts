import type { Migration } from "kysely/migration"
import type { DatabaseKind } from "../database.ts"
import { createProjects } from "./0001-projects.ts"
import { createEvents } from "./0002-events.ts"
import { createAuth } from "./0003-auth.ts"
import { createTeams } from "./0003-teams.ts"
import { createTotp } from "./0003-totp.ts"
import { createTwoFactorPolicy } from "./0003-two-factor-policy.ts"
import { createUserIdentity } from "./0003-user-identity.ts"
import { createUsage } from "./0004-usage.ts"
import { createSessions } from "./0005-sessions.ts"
import { createAccountPolicies } from "./0006-accounts.ts"
import { createUserPreferences } from "./0007-user-preferences.ts"

/**
 * The one migration set of both databases, forward-only (no `down`). Append new entries with a
 * name that sorts after the last one; never edit or remove a released entry.
 */
export function migrations(kind: DatabaseKind): Record<string, Migration> {
  return {
    "0001_projects": { up: (db) => createProjects(db, kind) },
    "0002_events": { up: (db) => createEvents(db, kind) },
    "0003_auth": { up: (db) => createAuth(db, kind) },
    "0003_teams": { up: (db) => createTeams(db) },
    "0003_totp": { up: (db) => createTotp(db) },
    "0003_two_factor_policy": { up: (db) => createTwoFactorPolicy(db) },
    "0003_user_identity": { up: (db) => createUserIdentity(db) },
    "0004_usage": { up: (db) => createUsage(db, kind) },
    "0005_sessions": { up: (db) => createSessions(db, kind) },
    "0006_accounts": { up: (db) => createAccountPolicies(db, kind) },
    "0007_user_preferences": { up: (db) => createUserPreferences(db) },
  }
}

export const migrationTable = "xionimus_migration"
export const migrationLockTable = "xionimus_migration_lock"
