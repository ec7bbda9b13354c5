import type { Session } from "@xionimus/protocol"
import { useEffect, useMemo, useRef, useState } from "react"
import { useLocale, useServices } from "../../app-context.tsx"
import { Button, LinkButton } from "../../components/button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { DownloadIcon, ForkIcon, ShareIcon } from "../../components/icons.tsx"
import { Spinner } from "../../components/spinner.tsx"
import { type Locale, translate } from "../../i18n/translate.ts"
import { routeHref } from "../../lib/router.ts"
import { useStore } from "../../lib/store.ts"
import { toApiError } from "../../lib/to-api-error.ts"
import { type Chat, createChat } from "../../stores/chat-store.ts"
import { isBusy } from "../../stores/chat-view.ts"
import { useChatCommands } from "./chat-commands.ts"
import { type ChatUi, ChatUiContext } from "./chat-context.tsx"
import { ChatTranscript } from "./chat-transcript.tsx"
import { Composer } from "./composer.tsx"
import { ModelPicker } from "./model-picker.tsx"
import { RewindDialog } from "./rewind-dialog.tsx"
import { ShareDialog } from "./share-dialog.tsx"
import { TurnBar } from "./turn-bar.tsx"
import { UsageMeter } from "./usage-meter.tsx"

function useChat(sessionId: string, onSessionChanged: (sessionId: string) => void): Chat | null {
  const { sessions, streams } = useServices()
  const [chat, setChat] = useState<Chat | null>(null)
  // biome-ignore lint/correctness/useExhaustiveDependencies: the callback may change identity; the chat stays
  useEffect(() => {
    let storage: Storage | undefined
    try {
      storage = window.localStorage
    } catch {
      storage = undefined
    }
    const created = createChat({ sessions, streams, sessionId, storage, onSessionChanged })
    setChat(created)
    return () => created.dispose()
  }, [sessions, streams, sessionId])
  return chat?.sessionId === sessionId ? chat : null
}

/** The open session: transcript, open question, turn state, composer, and the session's actions. */
export function ChatPanel({
  sessionId,
  onSessionChanged,
  onOpenSession,
}: {
  sessionId: string
  onSessionChanged: (sessionId: string) => void
  onOpenSession: (session: Session) => void
}) {
  const chat = useChat(sessionId, onSessionChanged)
  if (!chat) return null
  return <ChatBody chat={chat} onOpenSession={onOpenSession} />
}

function ChatBody({ chat, onOpenSession }: { chat: Chat; onOpenSession: (session: Session) => void }) {
  const services = useServices()
  const { sessions, toasts } = services
  const locale = useLocale() as Locale
  const { status, state, error } = useStore(chat.state)
  const projectId = useStore(chat.state, (current) => current.session?.projectId ?? null)
  const [rewinding, setRewinding] = useState<string | null>(null)
  const [sharing, setSharing] = useState(false)

  const fork = async (messageId?: string) => {
    try {
      const forked = await chat.fork(messageId)
      toasts.show({ tone: "success", message: t("chat.forked", { title: forked.title }) })
      onOpenSession(forked)
    } catch (failure) {
      const apiError = toApiError(failure)
      toasts.show({ tone: "error", message: apiError.message, code: apiError.code })
    }
  }
  // One context value per chat and language, so that messages that did not change skip re-rendering
  // while an answer streams; the fork handler reads its latest closure through a ref.
  const editAndResend = async (messageId: string, text: string, attachments: readonly string[]) => {
    try {
      const forked = await chat.editAndResend(messageId, text, attachments)
      toasts.show({ tone: "success", message: t("commands.edit.forked", { title: forked.title }) })
      onOpenSession(forked)
      return true
    } catch (failure) {
      const apiError = toApiError(failure)
      toasts.show({ tone: "error", message: apiError.message, code: apiError.code })
      return false
    }
  }
  const forkRef = useRef(fork)
  forkRef.current = fork
  const editRef = useRef(editAndResend)
  editRef.current = editAndResend
  const ui = useMemo<ChatUi>(
    () => ({
      t: (key, params) => translate(locale, key, params),
      locale,
      chat,
      onRewind: setRewinding,
      onFork: (messageId) => void forkRef.current(messageId),
      onEditResend: (messageId, text, attachments) => editRef.current(messageId, text, attachments),
      ...(projectId
        ? {
            code: {
              projectId,
              client: services.client,
              streams: services.streams,
              fileHref: (path: string) => routeHref({ name: "project", projectId, path }),
            },
          }
        : {}),
    }),
    [locale, chat, projectId, services],
  )
  const { t } = ui
  // Slash commands and the session's actions in the palette and its shortcuts.
  const runCommand = useChatCommands({
    chat,
    services,
    t,
    fork: () => forkRef.current(),
    openShare: () => setSharing(true),
    openRewind: setRewinding,
  })

  return (
    <ChatUiContext value={ui}>
      <section
        className="flex min-h-0 min-w-0 flex-1 flex-col"
        data-testid="chat-panel"
        data-session-id={chat.sessionId}
      >
        <header className="flex flex-wrap items-center gap-2 border-b border-line px-4 py-2">
          <h2
            className="min-w-0 flex-1 basis-full truncate font-semibold sm:basis-0"
            data-testid="chat-title"
          >
            {state.title || "\u00a0"}
          </h2>
          <UsageMeter usage={state.usage} />
          <ModelPicker chat={chat} model={state.model} />
          <Button
            size="sm"
            variant="ghost"
            onClick={() => void fork()}
            data-testid="chat-fork"
            title={t("chat.fork")}
          >
            <ForkIcon className="size-3.5" />
            <span className="hidden xl:inline">{t("chat.fork")}</span>
          </Button>
          <Button
            size="sm"
            variant="ghost"
            onClick={() => setSharing(true)}
            data-testid="chat-share"
            title={t("chat.share")}
          >
            <ShareIcon className="size-3.5" />
            <span className="hidden xl:inline">{t("chat.share")}</span>
          </Button>
          <LinkButton
            size="sm"
            variant="ghost"
            href={sessions.exportUrl(chat.sessionId, "json")}
            download
            title={t("chat.exportJson")}
            aria-label={t("chat.exportJson")}
            data-testid="chat-export-json"
          >
            <DownloadIcon className="size-3.5" />
            JSON
          </LinkButton>
          <LinkButton
            size="sm"
            variant="ghost"
            href={sessions.exportUrl(chat.sessionId, "markdown")}
            download
            title={t("chat.exportMarkdown")}
            aria-label={t("chat.exportMarkdown")}
            data-testid="chat-export-markdown"
          >
            <DownloadIcon className="size-3.5" />
            MD
          </LinkButton>
        </header>
        {error ? (
          <div className="px-4 pt-3">
            <ErrorNotice
              error={error}
              compact
              testId="chat-error"
              onRetry={status === "error" ? () => chat.reload() : undefined}
            />
          </div>
        ) : null}
        {status === "loading" ? (
          <div
            className="flex flex-1 items-center justify-center gap-2 text-muted"
            data-testid="chat-loading"
          >
            <Spinner />
            {t("chat.loading")}
          </div>
        ) : status === "ready" ? (
          <ChatTranscript state={state} />
        ) : (
          <div className="flex-1" />
        )}
        <TurnBar state={state} />
        <Composer chat={chat} busy={isBusy(state)} runCommand={runCommand} />
      </section>
      <RewindDialog chat={chat} messageId={rewinding} onClose={() => setRewinding(null)} />
      <ShareDialog
        sessions={sessions}
        sessionId={chat.sessionId}
        open={sharing}
        onClose={() => setSharing(false)}
      />
    </ChatUiContext>
  )
}
