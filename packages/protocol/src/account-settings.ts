import { z } from "zod"
import { Principal, TeamId, TeamRole } from "./auth.ts"
import { pageOf } from "./pagination.ts"

/** The interface languages; a preference of null follows the browser. */
export const InterfaceLanguage = z.enum(["en", "de"])
export type InterfaceLanguage = z.infer<typeof InterfaceLanguage>

/** A user's own preferences, kept on the server so that they follow the user across browsers. */
export const UserPreferences = z.object({
  /** The model new sessions start with when none is given; null: the configuration's `models.default`. */
  defaultModel: z.string().nullable(),
  /** The interface language; null: the browser's. */
  language: InterfaceLanguage.nullable(),
})
export type UserPreferences = z.infer<typeof UserPreferences>

/** Changes the given fields only; null resets one to its default. */
export const UpdatePreferencesBody = z.strictObject({
  defaultModel: z.string().min(3).max(200).nullable().optional(),
  language: InterfaceLanguage.nullable().optional(),
})
export type UpdatePreferencesBody = z.infer<typeof UpdatePreferencesBody>

/** Changing one's own profile: the display name. */
export const UpdateProfileBody = z.strictObject({ name: z.string().trim().min(1).max(100) })
export type UpdateProfileBody = z.infer<typeof UpdateProfileBody>

/** The signed-in user, how they are signed in, and whether two-factor sign-in is on for them. */
export const Me = Principal.extend({ twoFactor: z.boolean() })
export type Me = z.infer<typeof Me>

export const InvitationId = z.string().regex(/^inv_[0-9a-f]{14}[0-9A-Za-z]{12}$/, "an invitation id (inv_…)")

/** An invitation not yet accepted and not expired. Its token is never shown again (only its hash is stored). */
export const PendingInvitation = z.object({
  id: InvitationId,
  email: z.string(),
  role: TeamRole,
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  /** Who sent it; name and email are null when that account is gone or it came from the command line. */
  invitedBy: z.object({ userId: z.string(), name: z.string().nullable(), email: z.string().nullable() }),
})
export type PendingInvitation = z.infer<typeof PendingInvitation>
/** `GET /api/teams/:teamId/invitations` a page at a time: newest first. */
export const PendingInvitationPage = pageOf(PendingInvitation)
export const InvitationParams = z.strictObject({ teamId: TeamId, invitationId: InvitationId })
