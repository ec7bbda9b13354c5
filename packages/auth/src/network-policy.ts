import { BlockList, isIP } from "node:net"
import { AppError } from "@xionimus/kit"
import type { User } from "@xionimus/protocol"
import type { AccountPolicyRepository, TeamRepository } from "@xionimus/store"
import type { Actor, Authenticated } from "./types.ts"

/** A team's IP allow-list: who may sign in and reach its projects from where (docs/auth.md). */
export interface NetworkPolicy {
  /** The team's allow-list; null when members may come from anywhere. */
  allowList(teamId: string): Promise<string[] | null>
  /**
   * Replaces the allow-list (an empty list lifts it). VALIDATION_FAILED for an entry that is neither an
   * address nor a CIDR, or a list that would shut out the caller's own address.
   */
  setAllowList(teamId: string, entries: string[], actor: Actor): Promise<string[] | null>
  /** Whether the address may reach the project (instance administrators are exempt). */
  addressAllowedForProject(who: Authenticated, projectId: string, ip: string | null): Promise<boolean>
  addressAllowedForTeam(who: Authenticated, teamId: string, ip: string | null): Promise<boolean>
  /** Sign-in: false when one of the user's teams has an allow-list the address is outside of. */
  addressAllowedForSignIn(user: User, ip: string | null): Promise<boolean>
}

/** `::ffff:10.1.2.3` (an IPv4 client on a dual-stack socket) counts as 10.1.2.3. */
function normalise(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
  return mapped ? mapped[1]! : ip
}

/** Checks each entry: an IPv4/IPv6 address, or one with a prefix length (CIDR). */
export function parseAllowList(entries: readonly string[]): BlockList {
  const list = new BlockList()
  for (const entry of entries) {
    const [address = "", prefix, ...rest] = entry.trim().split("/")
    const family = isIP(normalise(address))
    const bits = prefix === undefined ? undefined : Number(prefix)
    const max = family === 6 ? 128 : 32
    if (
      family === 0 ||
      rest.length > 0 ||
      (bits !== undefined && (!Number.isInteger(bits) || bits < 0 || bits > max || prefix === ""))
    ) {
      throw new AppError(
        "VALIDATION_FAILED",
        `"${entry}" is neither an IP address nor a CIDR range (like 10.0.0.0/8 or 2001:db8::/32).`,
        {
          issues: [
            { in: "body", path: "allow", code: "invalid_format", message: `not an address: ${entry}` },
          ],
        },
      )
    }
    const type = family === 6 ? "ipv6" : "ipv4"
    if (bits === undefined) list.addAddress(normalise(address), type)
    else list.addSubnet(normalise(address), bits, type)
  }
  return list
}

export function addressIn(list: BlockList, ip: string | null): boolean {
  if (!ip) return false
  const address = normalise(ip)
  const family = isIP(address)
  return family !== 0 && list.check(address, family === 6 ? "ipv6" : "ipv4")
}

export function createNetworkPolicy(deps: {
  policies: AccountPolicyRepository
  teams: TeamRepository
  record: (action: string, actor: Actor, target: string, details: Record<string, unknown>) => Promise<void>
}): NetworkPolicy {
  const { policies, teams } = deps
  // Parsed lists by their text, so that a request costs one lookup of the team's settings, not a parse.
  const parsed = new Map<string, BlockList>()
  const listOf = (entries: string[]) => {
    const key = entries.join(",")
    let list = parsed.get(key)
    if (!list) {
      list = parseAllowList(entries)
      if (parsed.size > 1000) parsed.clear()
      parsed.set(key, list)
    }
    return list
  }
  async function teamAllows(teamId: string, ip: string | null): Promise<boolean> {
    const entries = (await policies.teamSetting(teamId)).ipAllow
    return !entries || entries.length === 0 || addressIn(listOf(entries), ip)
  }
  return {
    allowList: async (teamId) => (await policies.teamSetting(teamId)).ipAllow,
    async setAllowList(teamId, entries, actor) {
      const list = parseAllowList(entries)
      if (entries.length > 0 && !addressIn(list, actor.ip)) {
        throw new AppError(
          "VALIDATION_FAILED",
          `Your own address (${actor.ip ?? "unknown"}) is not in the list, so it would shut you out. Add it.`,
          { ip: actor.ip },
        )
      }
      const ipAllow = entries.length > 0 ? entries.map((entry) => entry.trim()) : null
      await policies.updateTeamSetting(teamId, { ipAllow })
      await deps.record("team.network.changed", actor, teamId, { allow: ipAllow })
      return ipAllow
    },
    async addressAllowedForProject(who, projectId, ip) {
      if (who.user.admin) return true
      const teamId = await teams.teamOfProject(projectId)
      return !teamId || teamAllows(teamId, ip)
    },
    async addressAllowedForTeam(who, teamId, ip) {
      return who.user.admin || teamAllows(teamId, ip)
    },
    async addressAllowedForSignIn(user, ip) {
      if (user.admin) return true
      for (const team of await teams.teamsOf(user.id)) if (!(await teamAllows(team.id, ip))) return false
      return true
    },
  }
}
