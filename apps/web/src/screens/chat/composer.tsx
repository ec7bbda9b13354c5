import { useEffect, useId, useMemo, useRef, useState } from "react"
import { useServices } from "../../app-context.tsx"
import { Button, IconButton } from "../../components/button.tsx"
import { CloseIcon, SendIcon, UploadIcon } from "../../components/icons.tsx"
import { sessionModel } from "../../lib/message-attachments.ts"
import { useStore } from "../../lib/store.ts"
import { toApiError } from "../../lib/to-api-error.ts"
import { createAttachments } from "../../stores/attachments-store.ts"
import type { Chat } from "../../stores/chat-store.ts"
import { AttachmentsBar } from "./attachments-bar.tsx"
import { useChatUi } from "./chat-context.tsx"
import type { SlashOutcome } from "./slash-command-runner.ts"
import { completeSlashCommand, type ParsedSlashCommand, parseSlashCommand } from "./slash-commands.ts"
import { SlashMenu, slashOptionId } from "./slash-menu.tsx"

type Notice = Exclude<SlashOutcome, { kind: "done" }>

/**
 * The message box: several lines, Ctrl/Cmd+Enter sends, the draft is kept per session. A leading "/"
 * opens the slash commands (completed with Tab or Enter, run on send); files are attached with the
 * button, by pasting or by dropping them on the box.
 */
export function Composer({
  chat,
  busy,
  runCommand,
}: {
  chat: Chat
  busy: boolean
  runCommand: (command: Exclude<ParsedSlashCommand, { kind: "text" }>) => Promise<SlashOutcome>
}) {
  const { t } = useChatUi()
  const { client } = useServices()
  const draft = useStore(chat.draft)
  const sending = useStore(chat.state, (state) => state.busy)
  const model = useStore(chat.state, (state) => sessionModel(state.state))
  const attachments = useMemo(
    () => createAttachments({ client, projectId: () => chat.state.get().state.projectId || undefined }),
    [client, chat],
  )
  useEffect(() => () => attachments.dispose(), [attachments])
  const attached = useStore(attachments.items)
  const [notice, setNotice] = useState<Notice | null>(null)
  const [active, setActive] = useState(0)
  const [menuClosedFor, setMenuClosedFor] = useState<string | null>(null)
  const [dragging, setDragging] = useState(false)
  const fileInput = useRef<HTMLInputElement>(null)
  const menuId = useId()

  const suggestions = menuClosedFor === draft ? [] : completeSlashCommand(draft)
  // "/help" typed in full needs no completion: Enter runs it.
  const menuOpen = suggestions.length > 0 && !(suggestions.length === 1 && draft === `/${suggestions[0]}`)
  const current = Math.min(active, suggestions.length - 1)

  const complete = (name: string) => {
    chat.setDraft(`/${name} `)
    setActive(0)
  }

  const submit = async () => {
    const text = draft
    const parsed = parseSlashCommand(text)
    if (parsed.kind !== "text") {
      let outcome: SlashOutcome
      try {
        outcome = await runCommand(parsed)
      } catch (failure) {
        const error = toApiError(failure)
        setNotice({ kind: "keep", tone: "error", text: `${error.message} (${error.code})` })
        return
      }
      if (outcome.kind === "keep") {
        setNotice(outcome)
        return
      }
      if (chat.draft.get() === text) chat.setDraft("")
      setNotice(outcome.kind === "notice" ? outcome : null)
      return
    }
    if (attachments.uploading()) {
      setNotice({ kind: "keep", tone: "error", text: t("commands.attach.waiting") })
      return
    }
    setNotice(null)
    if (await chat.send(text, undefined, attachments.paths())) attachments.clear()
  }

  const addFiles = (files: FileList | File[] | null | undefined) => {
    const list = [...(files ?? [])]
    if (list.length > 0) void attachments.add(list)
  }
  const readyCount = attached.filter((item) => item.status === "ready").length

  return (
    <form
      className={`relative border-t border-line ${dragging ? "bg-accent-soft/40" : ""}`}
      data-testid="composer"
      onSubmit={(event) => {
        event.preventDefault()
        void submit()
      }}
      onDragOver={(event) => {
        if (!event.dataTransfer.types.includes("Files")) return
        // Ours, not the project's upload drop zone around the chat.
        event.preventDefault()
        event.stopPropagation()
        setDragging(true)
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        if (event.dataTransfer.files.length === 0) return
        event.preventDefault()
        event.stopPropagation()
        setDragging(false)
        addFiles(event.dataTransfer.files)
      }}
    >
      {menuOpen ? (
        <SlashMenu id={menuId} suggestions={suggestions} active={current} onPick={(name) => complete(name)} />
      ) : null}
      {notice ? (
        <div
          role="status"
          data-testid="command-notice"
          data-tone={notice.tone}
          className={`mx-3 mt-2 flex items-start gap-2 rounded-lg border px-3 py-2 text-[13px] ${
            notice.tone === "error" ? "border-danger/40 text-danger" : "border-line bg-sunken/60 text-fg"
          }`}
        >
          <div className="min-w-0 flex-1">
            <p>{notice.text}</p>
            {notice.kind === "notice" && notice.lines ? (
              <ul className="mt-1 space-y-0.5 font-mono text-xs text-muted">
                {notice.lines.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            ) : null}
          </div>
          <IconButton
            label={t("commands.slash.dismiss")}
            onClick={() => setNotice(null)}
            className="-my-1 size-6"
          >
            <CloseIcon className="size-3" />
          </IconButton>
        </div>
      ) : null}
      <AttachmentsBar attachments={attachments} model={model} />
      {dragging ? <p className="px-3 pt-2 text-xs text-accent">{t("commands.attach.drop")}</p> : null}
      <div className="flex items-end gap-2 p-3">
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          data-testid="attach-input"
          onChange={(event) => {
            addFiles(event.target.files)
            event.target.value = ""
          }}
        />
        <IconButton
          label={t("commands.attach.button")}
          onClick={() => fileInput.current?.click()}
          data-testid="attach-button"
          className="mb-1"
        >
          <UploadIcon className="size-4" />
        </IconButton>
        <textarea
          value={draft}
          onChange={(event) => {
            chat.setDraft(event.target.value)
            setActive(0)
            if (notice?.kind === "keep") setNotice(null)
          }}
          onPaste={(event) => {
            if (event.clipboardData.files.length === 0) return
            event.preventDefault()
            addFiles(event.clipboardData.files)
          }}
          onKeyDown={(event) => {
            if (menuOpen) {
              if (event.key === "ArrowDown" || event.key === "ArrowUp") {
                event.preventDefault()
                const step = event.key === "ArrowDown" ? 1 : -1
                setActive((suggestions.length + current + step) % suggestions.length)
                return
              }
              if (
                (event.key === "Tab" || event.key === "Enter") &&
                !event.shiftKey &&
                !event.ctrlKey &&
                !event.metaKey
              ) {
                event.preventDefault()
                const name = suggestions[current]
                if (name) complete(name)
                return
              }
              if (event.key === "Escape") {
                event.preventDefault()
                setMenuClosedFor(draft)
                return
              }
            }
            const sendKey = event.key === "Enter" && (event.ctrlKey || event.metaKey)
            // A one-line slash command runs with a plain Enter too.
            const commandKey =
              event.key === "Enter" && !event.shiftKey && /^\/\S/.test(draft) && !draft.includes("\n")
            if (sendKey || commandKey) {
              event.preventDefault()
              void submit()
            }
          }}
          rows={2}
          aria-label={t("chat.input")}
          aria-autocomplete="list"
          aria-controls={menuOpen ? menuId : undefined}
          aria-activedescendant={
            menuOpen && suggestions[current] ? slashOptionId(menuId, suggestions[current]) : undefined
          }
          placeholder={t("chat.placeholder")}
          data-testid="chat-input"
          className="max-h-64 min-h-[3.25rem] flex-1 sm:min-h-[4.5rem] resize-y rounded-lg border border-line-strong bg-surface px-3 py-2 text-sm placeholder:text-subtle"
        />
        <Button
          type="submit"
          variant="primary"
          disabled={sending || (!draft.trim() && readyCount === 0)}
          data-testid="chat-send"
        >
          <SendIcon className="size-3.5" />
          {busy ? t("chat.queue") : t("chat.send")}
        </Button>
      </div>
    </form>
  )
}
