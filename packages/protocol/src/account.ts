import { z } from "zod"
import { ApiKey, CreatedApiKey, Password } from "./auth.ts"

/** The quotas a user or team may have (docs/auth.md#quotas). */
export const QuotaName = z.enum([
  "modelUsdPerDay",
  "modelUsdPerMonth",
  "sandboxCpuSecondsPerDay",
  "storageBytes",
])
export type QuotaName = z.infer<typeof QuotaName>

export const QuotaUsage = z.object({
  name: QuotaName,
  unit: z.enum(["usd", "cpu-seconds", "bytes"]),
  used: z.number(),
  /** null: no limit. */
  limit: z.number().nullable(),
  /** When the period's count starts again (UTC midnight, first of the month); null for storage. */
  resetsAt: z.iso.datetime().nullable(),
})
export type QuotaUsage = z.infer<typeof QuotaUsage>

/** Usage against quota of one user or team. */
export const QuotaReport = z.object({
  scope: z.enum(["user", "team"]),
  id: z.string(),
  quotas: z.array(QuotaUsage),
})
export type QuotaReport = z.infer<typeof QuotaReport>

/** An administrator's override of a team's quotas: a number replaces the configured limit, null lifts it. */
export const QuotaOverrideBody = z.strictObject({
  modelUsdPerDay: z.number().min(0).nullable().optional(),
  modelUsdPerMonth: z.number().min(0).nullable().optional(),
  sandboxCpuSecondsPerDay: z.number().min(0).nullable().optional(),
  storageBytes: z.number().int().min(0).nullable().optional(),
})
export type QuotaOverrideBody = z.infer<typeof QuotaOverrideBody>

/** A team's IP allow-list: addresses (`127.0.0.1`, `::1`) and CIDRs (`10.0.0.0/8`); empty = anywhere. */
export const TeamNetwork = z.strictObject({
  allow: z.array(z.string().trim().min(2).max(64)).max(200),
})
export type TeamNetwork = z.infer<typeof TeamNetwork>

/** Deleting one's own account: the password, unless one signed in within the last ten minutes. */
export const DeleteAccountBody = z.strictObject({ password: Password.optional() })

/** The new key (shown once) and the old one, which keeps working until its new `expiresAt`. */
export const RotatedApiKey = CreatedApiKey.extend({ previous: ApiKey })

export const RotateApiKeyBody = z.strictObject({
  /** How long the old key keeps working; default `auth.keyRotationGraceHours` (24). */
  graceHours: z.number().min(0).max(8760).optional(),
})

/** What becomes of the agent sessions of a member whose account is deleted. */
export const DeletedMemberSessions = z.enum(["delete", "transfer"])

/** What deleting an account did besides removing it. */
export const AccountDeletion = z.object({
  sessionsDeleted: z.number().int(),
  sessionsTransferred: z.number().int(),
  /** Projects of teams where the account was the only member (soft-deleted, restorable until purged). */
  projectsDeleted: z.number().int(),
})
