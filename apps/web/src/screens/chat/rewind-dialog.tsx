import type { RewindMode } from "@xionimus/protocol"
import type { ApiError, RewindPreview } from "@xionimus/sdk"
import { useEffect, useState } from "react"
import { Button } from "../../components/button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { Modal } from "../../components/modal.tsx"
import { Spinner } from "../../components/spinner.tsx"
import { toApiError } from "../../lib/to-api-error.ts"
import type { Chat } from "../../stores/chat-store.ts"
import { useChatUi } from "./chat-context.tsx"

const modes: RewindMode[] = ["code-and-chat", "chat", "code"]

/** "Rewind here": pick what to rewind, see the files and the diff, then rewind. */
export function RewindDialog({
  chat,
  messageId,
  onClose,
}: {
  chat: Chat
  messageId: string | null
  onClose: () => void
}) {
  const { t } = useChatUi()
  const [mode, setMode] = useState<RewindMode>("code-and-chat")
  const [preview, setPreview] = useState<RewindPreview | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const [applying, setApplying] = useState(false)

  useEffect(() => {
    if (!messageId) return
    let current = true
    setPreview(null)
    setError(null)
    chat.previewRewind(messageId, mode).then(
      (answer) => current && setPreview(answer),
      (failure: unknown) => current && setError(toApiError(failure)),
    )
    return () => {
      current = false
    }
  }, [chat, messageId, mode])

  const apply = async () => {
    if (!messageId) return
    setApplying(true)
    await chat.rewind(messageId, mode)
    setApplying(false)
    const failed = chat.state.get().error
    if (failed) setError(failed)
    else onClose()
  }

  return (
    <Modal
      open={messageId !== null}
      title={t("chat.rewind.title")}
      closeLabel={t("chat.close")}
      onClose={onClose}
      testId="rewind-dialog"
    >
      <div className="flex flex-col gap-4">
        <p className="text-muted">{t("chat.rewind.body")}</p>
        <fieldset className="flex flex-col gap-1.5">
          <legend className="mb-1.5 text-[13px] font-medium">{t("chat.rewind.mode")}</legend>
          <div className="flex flex-wrap gap-3">
            {modes.map((option) => (
              <label key={option} className="flex items-center gap-1.5 text-sm">
                <input
                  type="radio"
                  name="rewind-mode"
                  value={option}
                  checked={mode === option}
                  onChange={() => setMode(option)}
                  data-testid={`rewind-mode-${option}`}
                />
                {t(`chat.rewind.${option}`)}
              </label>
            ))}
          </div>
        </fieldset>
        {error ? <ErrorNotice error={error} compact testId="rewind-error" /> : null}
        {preview ? (
          <div className="flex flex-col gap-2" data-testid="rewind-preview">
            <p className="text-[13px] font-medium">{t("chat.rewind.files")}</p>
            {preview.files.length === 0 ? (
              <p className="text-[13px] text-muted">{t("chat.rewind.noFiles")}</p>
            ) : (
              <ul className="flex flex-col gap-0.5 font-mono text-xs" data-testid="rewind-files">
                {preview.files.map((file) => (
                  <li key={file.path}>
                    <span className="text-muted">{file.change}</span> {file.path}
                  </li>
                ))}
              </ul>
            )}
            {preview.diff ? (
              <pre
                className="max-h-64 overflow-auto rounded-md bg-sunken p-2 font-mono text-xs"
                data-testid="rewind-diff"
              >
                {preview.diff}
              </pre>
            ) : null}
            <p className="text-xs text-muted">{t("chat.rewind.hidden", { count: preview.hiddenEvents })}</p>
          </div>
        ) : error ? null : (
          <Spinner />
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>{t("sessions.cancel")}</Button>
          <Button
            variant="primary"
            disabled={!preview || applying}
            onClick={() => void apply()}
            data-testid="rewind-apply"
          >
            {t("chat.rewind.apply")}
          </Button>
        </div>
      </div>
    </Modal>
  )
}
