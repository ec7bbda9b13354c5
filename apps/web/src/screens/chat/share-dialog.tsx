import type { Share } from "@xionimus/protocol"
import type { ApiError, SessionsClient } from "@xionimus/sdk"
import { useCallback, useEffect, useState } from "react"
import { Button } from "../../components/button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { Modal } from "../../components/modal.tsx"
import { routeHref } from "../../lib/router.ts"
import { toApiError } from "../../lib/to-api-error.ts"
import { useChatUi } from "./chat-context.tsx"
import { CopyButton } from "./copy-button.tsx"

const expiryChoices = [1, 7, 30, 90, 365]

/** The link a share token opens: the app's read-only shared page. */
export function shareLink(origin: string, token: string): string {
  return `${origin}/${routeHref({ name: "shared", token })}`
}

/** Create a read-only link with an expiry (shown once, with a copy button), list links, revoke one. */
export function ShareDialog({
  sessions,
  sessionId,
  open,
  onClose,
}: {
  sessions: SessionsClient
  sessionId: string
  open: boolean
  onClose: () => void
}) {
  const { t, locale } = useChatUi()
  const [days, setDays] = useState(7)
  const [created, setCreated] = useState<Share | null>(null)
  const [shares, setShares] = useState<Share[]>([])
  const [error, setError] = useState<ApiError | null>(null)

  const refresh = useCallback(() => {
    sessions.listShares(sessionId).then(setShares, (failure: unknown) => setError(toApiError(failure)))
  }, [sessions, sessionId])
  useEffect(() => {
    if (!open) return
    setCreated(null)
    setError(null)
    refresh()
  }, [open, refresh])

  const create = async () => {
    setError(null)
    try {
      setCreated(await sessions.createShare(sessionId, { expiresInDays: days }))
      refresh()
    } catch (failure) {
      setError(toApiError(failure))
    }
  }
  const revoke = async (shareId: string) => {
    try {
      await sessions.revokeShare(sessionId, shareId)
      if (created?.id === shareId) setCreated(null)
      refresh()
    } catch (failure) {
      setError(toApiError(failure))
    }
  }
  const link = created?.token ? shareLink(window.location.origin, created.token) : null
  const date = (iso: string) =>
    new Date(iso).toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" })

  return (
    <Modal
      open={open}
      title={t("chat.share.title")}
      closeLabel={t("chat.close")}
      onClose={onClose}
      testId="share-dialog"
    >
      <div className="flex flex-col gap-4">
        <div className="flex flex-wrap items-end gap-2">
          <label className="flex flex-col gap-1.5 text-[13px] font-medium">
            {t("chat.share.expiry")}
            <select
              value={days}
              onChange={(event) => setDays(Number(event.target.value))}
              data-testid="share-expiry"
              className="h-9 rounded-lg border border-line-strong bg-surface px-2 text-sm font-normal"
            >
              {expiryChoices.map((choice) => (
                <option key={choice} value={choice}>
                  {t("chat.share.days", { count: choice })}
                </option>
              ))}
            </select>
          </label>
          <Button variant="primary" onClick={() => void create()} data-testid="share-create">
            {t("chat.share.create")}
          </Button>
        </div>
        {error ? <ErrorNotice error={error} compact testId="share-error" /> : null}
        {link ? (
          <div className="flex flex-col gap-1.5">
            <span className="text-[13px] font-medium">{t("chat.share.link")}</span>
            <div className="flex items-center gap-2">
              <input
                readOnly
                value={link}
                data-testid="share-link"
                onFocus={(event) => event.target.select()}
                className="h-9 min-w-0 flex-1 rounded-lg border border-line-strong bg-sunken px-3 font-mono text-xs"
              />
              <CopyButton text={link} testId="share-copy" label={t("chat.share.copy")} />
            </div>
          </div>
        ) : null}
        <div className="flex flex-col gap-1.5">
          <span className="text-[13px] font-medium">{t("chat.share.existing")}</span>
          {shares.length === 0 ? <p className="text-[13px] text-muted">{t("chat.share.none")}</p> : null}
          <ul
            className="flex flex-col divide-y divide-line rounded-lg border border-line"
            data-testid="share-list"
          >
            {shares.map((share) => (
              <li
                key={share.id}
                className="flex items-center gap-2 px-3 py-2 text-[13px]"
                data-testid="share-row"
              >
                <span className="flex-1 text-muted">
                  {share.revokedAt
                    ? t("chat.share.revoked")
                    : t("chat.share.expires", { time: date(share.expiresAt) })}
                </span>
                {share.revokedAt ? null : (
                  <Button
                    size="sm"
                    variant="danger"
                    onClick={() => void revoke(share.id)}
                    data-testid="share-revoke"
                  >
                    {t("chat.share.revoke")}
                  </Button>
                )}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </Modal>
  )
}
