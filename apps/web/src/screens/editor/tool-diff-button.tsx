import type { ToolPart } from "@xionimus/protocol"
import { useContext, useState } from "react"
import { AppContext } from "../../app-context.tsx"
import { useStore } from "../../lib/store.ts"
import { recordedChange } from "../../stores/call-diff.ts"
import type { Chat } from "../../stores/chat-store.ts"
import { callChanges, changedPath, type TurnSource } from "../../stores/tool-diff.ts"
import { applyGitPatch, turnOf } from "../../stores/turn-replay.ts"
import { useChatUi } from "../chat/chat-context.tsx"
import { CallChangesDialog } from "./call-changes-dialog.tsx"

/**
 * "View diff" on the card of an agent's file change (edit, write_file), and "View changes" on any other
 * finished call whose checkpoint says it changed files (a command). Opens the before and after in the
 * diff view: the server's answer from the checkpoints around the call first; on an older server the
 * client-side rebuild (stores/tool-diff.ts); on a shared page (no services) what the call itself holds.
 */
export function ToolDiffButton({ part }: { part: ToolPart }) {
  const { chat } = useChatUi()
  const services = useContext(AppContext)
  if (changedPath(part)) return <CallDiffButton part={part} fileTool />
  if (!chat || !services || part.status === "pending" || part.status === "running") return null
  return <RecordedChangeButton chat={chat} part={part} />
}

function RecordedChangeButton({ chat, part }: { chat: Chat; part: ToolPart }) {
  const changed = useStore(chat.state, (state) => recordedChange(state.state, part.callId))
  return changed ? <CallDiffButton part={part} fileTool={false} /> : null
}

function CallDiffButton({ part, fileTool }: { part: ToolPart; fileTool: boolean }) {
  const { t, chat } = useChatUi()
  const services = useContext(AppContext)
  const [open, setOpen] = useState(false)
  const path = changedPath(part)
  const projectId = chat?.state.get().state.projectId || null
  const dark = services
    ? services.settings.state.get().dark
    : document.documentElement.classList.contains("dark")

  const load = () => {
    const read = async (file: string) => {
      if (!services || !projectId) return null
      const content = await services.client.readFile(projectId, file).catch((error: unknown) => {
        if ((error as { code?: unknown }).code === "FILE_NOT_FOUND") return null
        throw error
      })
      if (!content) return null
      return content.encoding === "utf8" ? { content: content.content, version: content.entry.version } : null
    }
    // Older servers: the file when the turn started (the rewind preview's diff back to the turn's
    // checkpoint, applied to the file now), with the turn's file calls replayed.
    const turn = chat ? turnOf(chat.state.get().state, part.callId) : null
    const source: TurnSource | undefined =
      chat && turn
        ? {
            earlier: turn.earlier,
            async atTurnStart(file) {
              const [preview, now] = await Promise.all([
                chat.previewRewind(turn.messageId, "code"),
                read(file),
              ])
              const text = now?.content ?? ""
              if (!preview.files.some((entry) => entry.path === file)) return text
              return applyGitPatch(text, preview.diff, file)
            },
          }
        : undefined
    const server =
      services && chat ? () => services.sessions.callDiff(chat.sessionId, part.callId) : undefined
    return callChanges(part, { server, read, turn: source })
  }

  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        aria-label={path ? t("diff.openLabel", { path }) : t("calldiff.openLabel")}
        className="shrink-0 rounded-md border border-line px-2 py-0.5 text-xs font-medium text-muted hover:bg-sunken hover:text-fg"
        data-testid="tool-view-diff"
      >
        {fileTool ? t("diff.open") : t("calldiff.open")}
      </button>
      <CallChangesDialog open={open} onClose={() => setOpen(false)} load={load} t={t} dark={dark} />
    </>
  )
}
