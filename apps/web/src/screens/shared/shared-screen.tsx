import { reduceSession, type SessionState } from "@xionimus/protocol"
import { type ApiError, createSessionsClient } from "@xionimus/sdk"
import { useEffect, useMemo, useState } from "react"
import { AlertIcon } from "../../components/icons.tsx"
import { Spinner } from "../../components/spinner.tsx"
import { type Locale, translate } from "../../i18n/translate.ts"
import { toApiError } from "../../lib/to-api-error.ts"
import { readLog } from "../../stores/chat-store.ts"
import { type ChatUi, ChatUiContext } from "../chat/chat-context.tsx"
import { ChatTranscript } from "../chat/chat-transcript.tsx"
import { UsageMeter } from "../chat/usage-meter.tsx"

/** A shared session, read-only and without signing in: the same transcript as the chat. */
export function SharedScreen({ token, locale }: { token: string; locale: Locale }) {
  const sessions = useMemo(() => createSessionsClient({ baseUrl: "" }), [])
  const [state, setState] = useState<SessionState | null>(null)
  const [title, setTitle] = useState("")
  const [error, setError] = useState<ApiError | null>(null)
  const ui: ChatUi = { t: (key, params) => translate(locale, key, params), locale, chat: null }
  const { t } = ui

  useEffect(() => {
    let current = true
    readLog(async (after) => {
      const page = await sessions.readShared(token, { after, limit: 1000 })
      if (current) setTitle(page.session.title)
      return page
    }).then(
      (log) => current && setState(reduceSession(log.items)),
      (failure: unknown) => current && setError(toApiError(failure)),
    )
    return () => {
      current = false
    }
  }, [sessions, token])

  return (
    <ChatUiContext value={ui}>
      <div className="flex h-dvh flex-col" data-testid="shared-screen">
        <header className="flex flex-wrap items-center gap-3 border-b border-line bg-surface px-4 py-3">
          <a href="/" className="font-semibold tracking-tight">
            {t("app.name")}
          </a>
          <h1 className="min-w-0 flex-1 truncate text-base font-semibold" data-testid="shared-title">
            {title}
          </h1>
          {state ? <UsageMeter usage={state.usage} /> : null}
          <span
            className="rounded-full bg-sunken px-2.5 py-1 text-xs font-medium text-muted"
            data-testid="shared-badge"
          >
            {t("shared.badge")}
          </span>
        </header>
        {error ? (
          <div
            role="alert"
            data-testid="shared-error"
            data-error-code={error.code}
            className="m-4 flex items-start gap-3 rounded-lg border border-danger/25 bg-danger-soft px-4 py-3"
          >
            <AlertIcon className="mt-0.5 size-4 text-danger" />
            <p className="break-words">
              {error.message} <code className="font-mono text-xs text-danger">{error.code}</code>
            </p>
          </div>
        ) : state ? (
          <main className="flex min-h-0 flex-1 flex-col bg-canvas">
            <ChatTranscript state={state} />
          </main>
        ) : (
          <div className="flex flex-1 items-center justify-center gap-2 text-muted">
            <Spinner />
            {t("shared.loading")}
          </div>
        )}
      </div>
    </ChatUiContext>
  )
}
