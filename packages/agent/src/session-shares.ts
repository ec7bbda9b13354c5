import { createHash, randomBytes } from "node:crypto"
import { AppError, newId } from "@xionimus/kit"
import type { Share } from "@xionimus/protocol"
import type { ShareRecord } from "@xionimus/store"
import { redactEvents, redactText } from "./redact-events.ts"
import { headOf, type OperationDeps, requireSession } from "./session-log.ts"
import type { SessionOperations } from "./types.ts"

type ShareMethods = Pick<SessionOperations, "share" | "listShares" | "revokeShare" | "readShared">

const dayMs = 86_400_000
/** Tokens are `xs_` + 43 characters; anything much longer is not one of ours. */
const tokenLimit = 200

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex")

const toShare = ({ tokenHash: _tokenHash, ...share }: ShareRecord): Share => share

const notFound = () =>
  new AppError("SHARE_NOT_FOUND", "This share link is wrong, revoked or expired. Ask for a new link.")

/**
 * Read-only share links: a random token (`xs_` + 32 bytes, base64url) shown once; only its sha256
 * is stored. Reading a share needs no account and returns the session's events with secrets
 * redacted; there is no way to write through a share.
 */
export function createShares(deps: OperationDeps): ShareMethods {
  const baseUrl = (deps.publicUrl ?? "").replace(/\/+$/, "")
  return {
    async share(sessionId, input) {
      await requireSession(deps, sessionId)
      const token = `xs_${randomBytes(32).toString("base64url")}`
      const now = deps.clock()
      const record = await deps.sessions.createShare({
        id: newId("shr"),
        sessionId,
        tokenHash: hashToken(token),
        createdBy: input.createdBy,
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + input.expiresInDays * dayMs).toISOString(),
        revokedAt: null,
      })
      return { ...toShare(record), token, url: `${baseUrl}/shared/${token}` }
    },

    async listShares(sessionId) {
      await requireSession(deps, sessionId)
      return (await deps.sessions.listShares(sessionId)).map(toShare)
    },

    async revokeShare(sessionId, shareId) {
      await requireSession(deps, sessionId)
      return toShare(await deps.sessions.revokeShare(sessionId, shareId, deps.clock().toISOString()))
    },

    async readShared(token, page) {
      if (token.length > tokenLimit) throw notFound()
      const share = await deps.sessions.findShare(hashToken(token))
      if (!share || share.revokedAt !== null || share.expiresAt <= deps.clock().toISOString())
        throw notFound()
      const record = await deps.sessions.get(share.sessionId)
      if (!record) throw notFound()
      const [events, head] = await Promise.all([
        deps.bus.read(record.id, { after: page.after, limit: page.limit }),
        headOf(deps, record.id),
      ])
      return {
        session: { id: record.id, title: redactText(record.title), createdAt: record.createdAt },
        events: redactEvents(events),
        head,
      }
    },
  }
}
