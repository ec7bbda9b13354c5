import type { ToolPart } from "@xionimus/protocol"
import { useContext, useState } from "react"
import { AppContext } from "../../app-context.tsx"
import { nameOf } from "../../lib/file-kind.ts"
import { changedPath, type ToolDiff, type TurnSource, toolDiff } from "../../stores/tool-diff.ts"
import { applyGitPatch, turnOf } from "../../stores/turn-replay.ts"
import { useChatUi } from "../chat/chat-context.tsx"
import { DiffDialog } from "./diff-dialog.tsx"

/**
 * "View diff" on the card of an agent's file change (edit, write_file), opening the before and after
 * in the diff view. In the app it reads the file as it is now (see stores/tool-diff.ts for how faithful
 * each case is); on a shared page (no services) it shows what the call itself holds.
 */
export function ToolDiffButton({ part }: { part: ToolPart }) {
  const { t, chat } = useChatUi()
  const services = useContext(AppContext)
  const [open, setOpen] = useState(false)
  const [diff, setDiff] = useState<ToolDiff | null>(null)
  const [failed, setFailed] = useState(false)
  const path = changedPath(part)
  if (!path) return null

  const projectId = chat?.state.get().state.projectId || null
  const dark = services
    ? services.settings.state.get().dark
    : document.documentElement.classList.contains("dark")

  const show = () => {
    setOpen(true)
    setFailed(false)
    const read = async (file: string) => {
      if (!services || !projectId) return null
      const content = await services.client.readFile(projectId, file).catch((error: unknown) => {
        if ((error as { code?: unknown }).code === "FILE_NOT_FOUND") return null
        throw error
      })
      if (!content) return null
      return content.encoding === "utf8" ? { content: content.content, version: content.entry.version } : null
    }
    // The most faithful source: the file when the turn started (the rewind preview's diff back to the
    // turn's checkpoint, applied to the file now), with the turn's file calls replayed.
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
    toolDiff(part, read, source).then(setDiff, () => setFailed(true))
  }
  const note =
    failed || !diff
      ? failed
        ? t("diff.error")
        : undefined
      : diff.fidelity === "after-only"
        ? t("diff.afterOnly")
        : diff.fidelity === "fragments"
          ? t("diff.fragments")
          : diff.before === diff.after
            ? t("diff.same")
            : undefined

  return (
    <>
      <button
        type="button"
        onClick={show}
        aria-label={t("diff.openLabel", { path })}
        className="shrink-0 rounded-md border border-line px-2 py-0.5 text-xs font-medium text-muted hover:bg-sunken hover:text-fg"
        data-testid="tool-view-diff"
      >
        {t("diff.open")}
      </button>
      <DiffDialog
        open={open}
        title={t("diff.title", { name: nameOf(path) })}
        closeLabel={t("diff.close")}
        loadingLabel={t("diff.loading")}
        onClose={() => setOpen(false)}
        diff={failed ? null : diff}
        beforeLabel={t("diff.before")}
        afterLabel={t("diff.after")}
        dark={dark}
        note={note}
        testId="tool-diff-dialog"
      />
    </>
  )
}
