import type { Page, Session, SessionListQuery, SessionRunState, SessionUsage } from "@xionimus/protocol"

/** A session row (the list and search view); the event log (stream = session id) holds the rest. */
export type SessionRecord = Omit<Session, "head">

export interface NewSession {
  id: string
  projectId: string
  title: string
  model: string | null
  tags?: string[]
  createdBy: string | null
  forkedFrom?: { sessionId: string; seq: number } | null
}

export interface SessionPatch {
  title?: string
  model?: string | null
  tags?: string[]
  pinned?: boolean
  archived?: boolean
}

/** A running turn's claim on its session; a lease that is not renewed in time marks the turn interrupted. */
export interface TurnLease {
  sessionId: string
  turnId: string
  /** The process holding it (a random id per server process). */
  nodeId: string
  expiresAt: string
}

export interface ShareRecord {
  id: string
  sessionId: string
  /** sha256 (hex) of the token; the token itself is never stored. */
  tokenHash: string
  createdBy: string | null
  createdAt: string
  expiresAt: string
  revokedAt: string | null
}

export interface SessionRepository {
  /** Raises VALIDATION_FAILED for a duplicate id. */
  create(input: NewSession): Promise<SessionRecord>
  get(id: string): Promise<SessionRecord | undefined>
  /**
   * Pinned first, then the most recently updated; `q` matches the title and the indexed text
   * (case-insensitive, `%` and `_` literal); archived ones only with `archived: true`. Opaque cursor;
   * VALIDATION_FAILED for a cursor this store did not write.
   */
  list(projectId: string, query: SessionListQuery): Promise<Page<SessionRecord>>
  /** Raises SESSION_NOT_FOUND. Bumps updatedAt. */
  update(id: string, patch: SessionPatch): Promise<SessionRecord>
  /** Sets the run state (bumps updatedAt). Raises SESSION_NOT_FOUND. */
  setRunState(id: string, runState: SessionRunState): Promise<void>
  /** Adds to the session's usage totals. */
  addUsage(id: string, usage: SessionUsage): Promise<void>
  /** Appends text to what `q` searches (user messages, assistant answers). */
  indexText(id: string, text: string): Promise<void>
  /** Removes the row, its event stream (the events whose stream is the id), its shares and its lease. */
  remove(id: string): Promise<void>
  /** Usage of every session of a project, summed (project budgets). */
  projectUsage(projectId: string): Promise<SessionUsage>
  /** The project's sessions whose turn is running now (any node), oldest change first; at most `limit`. */
  running(projectId: string, limit: number): Promise<Pick<SessionRecord, "id" | "title">[]>

  /**
   * Takes the session's lease; false when another unexpired lease holds it. Atomic: of two nodes
   * racing for one session, exactly one gets true. Taking it again for the same node and turn renews it.
   */
  acquireLease(lease: TurnLease): Promise<boolean>
  /** Extends the lease when this node still holds it for this turn and it has not expired; false otherwise. */
  renewLease(lease: TurnLease): Promise<boolean>
  releaseLease(sessionId: string, turnId: string): Promise<void>
  /** Leases whose expiresAt is before `now`, the longest expired first. */
  expiredLeases(now: string, limit: number): Promise<TurnLease[]>

  createShare(share: ShareRecord): Promise<ShareRecord>
  /** The share whose tokenHash matches, revoked or expired ones included (callers check). */
  findShare(tokenHash: string): Promise<ShareRecord | undefined>
  listShares(sessionId: string): Promise<ShareRecord[]>
  /** Raises SHARE_NOT_FOUND (also for a share of another session). Revoking twice keeps the first time. */
  revokeShare(sessionId: string, shareId: string, now: string): Promise<ShareRecord>
}
