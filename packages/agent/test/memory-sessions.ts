import { AppError } from "@xionimus/kit"
import type { SessionUsage } from "@xionimus/protocol"
import type { SessionRecord, SessionRepository, ShareRecord, TurnLease } from "@xionimus/store"

/**
 * A SessionRepository in memory, for the agent tests while the store's own is not there: the same
 * contract on the members the engine uses (list ordering is simplified: pinned, then updated).
 */
export function createMemorySessions(clock: () => Date = () => new Date()): SessionRepository & {
  leases: Map<string, TurnLease>
} {
  const rows = new Map<string, SessionRecord & { text: string }>()
  const leases = new Map<string, TurnLease>()
  const shares = new Map<string, ShareRecord>()
  const now = () => clock().toISOString()
  const row = (id: string) => {
    const found = rows.get(id)
    if (!found) throw new AppError("SESSION_NOT_FOUND", `There is no session ${id}.`)
    return found
  }
  const record = ({ text: _text, ...rest }: SessionRecord & { text: string }): SessionRecord => ({
    ...rest,
    tags: [...rest.tags],
    usage: { ...rest.usage },
  })
  return {
    leases,
    async create(input) {
      if (rows.has(input.id)) throw new AppError("VALIDATION_FAILED", `session ${input.id} exists`)
      const time = now()
      const created = {
        id: input.id,
        projectId: input.projectId,
        title: input.title,
        tags: input.tags ?? [],
        pinned: false,
        archived: false,
        runState: "idle" as const,
        model: input.model,
        forkedFrom: input.forkedFrom ?? null,
        usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, costUsd: 0 },
        createdBy: input.createdBy,
        createdAt: time,
        updatedAt: time,
        text: "",
      }
      rows.set(input.id, created)
      return record(created)
    },
    async get(id) {
      const found = rows.get(id)
      return found ? record(found) : undefined
    },
    async list(projectId, query) {
      const q = query.q?.toLowerCase()
      const items = [...rows.values()]
        .filter((candidate) => candidate.projectId === projectId)
        .filter((candidate) => (query.archived === true ? true : !candidate.archived))
        .filter((candidate) => !query.tag || candidate.tags.includes(query.tag))
        .filter((candidate) => !q || `${candidate.title}\n${candidate.text}`.toLowerCase().includes(q))
        .sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.updatedAt.localeCompare(a.updatedAt))
      return { items: items.slice(0, query.limit).map(record), nextCursor: null }
    },
    async update(id, patch) {
      const found = row(id)
      Object.assign(found, patch, { updatedAt: now() })
      return record(found)
    },
    async setRunState(id, runState) {
      Object.assign(row(id), { runState, updatedAt: now() })
    },
    async addUsage(id, usage: SessionUsage) {
      const found = row(id)
      found.usage = {
        inputTokens: found.usage.inputTokens + usage.inputTokens,
        outputTokens: found.usage.outputTokens + usage.outputTokens,
        cachedInputTokens: found.usage.cachedInputTokens + usage.cachedInputTokens,
        costUsd: found.usage.costUsd + usage.costUsd,
      }
    },
    async indexText(id, text) {
      const found = row(id)
      found.text += `\n${text}`
    },
    async remove(id) {
      rows.delete(id)
      leases.delete(id)
    },
    async projectUsage(projectId) {
      const total = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, costUsd: 0 }
      for (const candidate of rows.values()) {
        if (candidate.projectId !== projectId) continue
        total.inputTokens += candidate.usage.inputTokens
        total.outputTokens += candidate.usage.outputTokens
        total.cachedInputTokens += candidate.usage.cachedInputTokens
        total.costUsd += candidate.usage.costUsd
      }
      return total
    },
    async acquireLease(lease) {
      const held = leases.get(lease.sessionId)
      if (held && held.expiresAt > now() && held.turnId !== lease.turnId) return false
      leases.set(lease.sessionId, { ...lease })
      return true
    },
    async renewLease(lease) {
      const held = leases.get(lease.sessionId)
      if (!held || held.turnId !== lease.turnId || held.nodeId !== lease.nodeId) return false
      held.expiresAt = lease.expiresAt
      return true
    },
    async releaseLease(sessionId, turnId) {
      if (leases.get(sessionId)?.turnId === turnId) leases.delete(sessionId)
    },
    async expiredLeases(time, limit) {
      return [...leases.values()].filter((lease) => lease.expiresAt < time).slice(0, limit)
    },
    async createShare(share) {
      shares.set(share.id, share)
      return share
    },
    async findShare(tokenHash) {
      return [...shares.values()].find((share) => share.tokenHash === tokenHash)
    },
    async listShares(sessionId) {
      return [...shares.values()].filter((share) => share.sessionId === sessionId)
    },
    async revokeShare(sessionId, shareId, time) {
      const share = shares.get(shareId)
      if (!share || share.sessionId !== sessionId) throw new AppError("SHARE_NOT_FOUND", "no such share")
      share.revokedAt = time
      return share
    },
  }
}
