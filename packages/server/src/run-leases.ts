import { holderIsGone } from "@xionimus/agent"
import { newId } from "@xionimus/kit"
import type { SessionRepository, TurnLease } from "@xionimus/store"

type LeaseStore = Pick<SessionRepository, "acquireLease" | "renewLease" | "releaseLease" | "expiredLeases">

/** A run's lease row: the session lease table keyed by the run id (`orc_…`). */
export const isRunLease = (lease: TurnLease) => lease.sessionId.startsWith("orc_")

const endOfTime = "9999-12-31T23:59:59.999Z"

export interface RunLeases {
  /** This holder's node id (`orchestra:<host>:<pid>:<random>`). */
  readonly nodeId: string
  /**
   * Takes the run's lease (or renews this holder's own). False while another holder's lease is unexpired,
   * unless that holder was a process on this host that is gone: then it is taken over at once.
   */
  acquire(runId: string): Promise<boolean>
  /** Extends this holder's lease; false when it was lost (expired, or taken over). */
  renew(runId: string): Promise<boolean>
  release(runId: string): Promise<void>
  /** Leaves the lease expired (not deleted): the run was mid-way, so another server resumes it at once. */
  expire(runId: string): Promise<void>
  /** Runs whose lease another holder left behind: expired, or its process gone from this host. */
  abandoned(): Promise<string[]>
}

/**
 * Leases per orchestra run, so that two servers sharing a database never drive the same run. They reuse
 * the session lease store and its pattern: a holder id naming host and process, an expiry renewed while
 * driving, an atomic take-over of an expired lease. The turn id is this holder's drive id, so that taking
 * over a gone holder's lease (release its turn, then acquire) cannot remove a lease someone else took first.
 */
export function createRunLeases(options: {
  store: LeaseStore
  nodeId: string
  leaseMs: number
  clock?: () => Date
}): RunLeases {
  const { store, nodeId, leaseMs } = options
  const clock = options.clock ?? (() => new Date())
  const turnId = newId("drv")
  const lease = (runId: string, expiresAt = new Date(clock().getTime() + leaseMs).toISOString()) => ({
    sessionId: runId,
    turnId,
    nodeId,
    expiresAt,
  })
  const current = async (runId: string) =>
    (await store.expiredLeases(endOfTime, 10_000)).find((row) => row.sessionId === runId)

  return {
    nodeId,
    async acquire(runId) {
      if (await store.acquireLease(lease(runId))) return true
      const held = await current(runId)
      if (!held || !holderIsGone(held.nodeId)) return false
      await store.releaseLease(runId, held.turnId)
      return store.acquireLease(lease(runId))
    },
    renew: (runId) => store.renewLease(lease(runId)),
    release: (runId) => store.releaseLease(runId, turnId),
    async expire(runId) {
      await store.renewLease(lease(runId, new Date(clock().getTime() - 1).toISOString()))
    },
    async abandoned() {
      const now = clock().toISOString()
      return (await store.expiredLeases(endOfTime, 10_000))
        .filter(isRunLease)
        .filter((row) => row.nodeId !== nodeId && (row.expiresAt < now || holderIsGone(row.nodeId)))
        .map((row) => row.sessionId)
    },
  }
}
