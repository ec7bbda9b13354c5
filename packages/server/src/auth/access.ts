/**
 * What a route requires, declared on every defineRoute route (mountRoute refuses a route without one):
 * - `public`: anyone, signed in or not (health, sign-in, first run);
 * - `self:read` / `self:write`: any signed-in user, about their own account;
 * - `project:read` / `project:write` / `project:manage`: a signed-in user whose team role (or instance
 *   admin) lets them read (viewer, commenter), change (editor) or manage (owner: delete, deny members) the
 *   project named by the route's `projectId` (or `stream`) parameter; routes without one (list, create)
 *   check the scope and narrow their answer;
 * - `team:read` / `team:manage`: a member / an owner of the team named by `teamId`;
 * - `admin`: an instance administrator.
 * API keys add a scope: `read` keys reach `*:read` routes only, `write` keys also `*:write`, `admin` keys all.
 */
export const accessLevels = [
  "public",
  "self:read",
  "self:write",
  "project:read",
  "project:write",
  "project:manage",
  "team:read",
  "team:manage",
  "admin",
] as const

export type Access = (typeof accessLevels)[number]

/** The key scope an access level needs. */
export function scopeNeeded(access: Access): "read" | "write" | "admin" | null {
  if (access === "public") return null
  if (access === "admin") return "admin"
  return access.endsWith(":read") ? "read" : "write"
}

const rank = { read: 0, write: 1, admin: 2 } as const

/** Whether a scope covers what is needed (admin ⊇ write ⊇ read). */
export function scopeCovers(held: keyof typeof rank, needed: keyof typeof rank): boolean {
  return rank[held] >= rank[needed]
}
