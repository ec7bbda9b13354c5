import type { SessionState } from "@xionimus/protocol"
import { Button } from "../../components/button.tsx"
import { PlayIcon, StopIcon } from "../../components/icons.tsx"
import { Spinner } from "../../components/spinner.tsx"
import { canResume, isBusy, turnNotice } from "../../stores/chat-view.ts"
import { useChatUi } from "./chat-context.tsx"

/** What the turn is doing: working (with Stop), paused or interrupted (with Resume and the reason), failed. */
export function TurnBar({ state }: { state: SessionState }) {
  const { t, chat } = useChatUi()
  const notice = turnNotice(state)
  if (!notice && !isBusy(state)) return null
  let text = ""
  if (state.openPermission) text = t("chat.turn.waiting")
  else if (notice?.kind === "running") text = t("chat.turn.running")
  else if (notice?.kind === "paused") text = t("chat.turn.paused", { reason: notice.reason })
  else if (notice?.kind === "interrupted")
    text = t("chat.turn.interrupted", { reason: notice.reason ?? t("chat.turn.interruptedDefault") })
  else if (notice?.kind === "failed") text = t("chat.turn.failed", { reason: notice.reason })
  else if (notice?.kind === "limit") text = t("chat.turn.limit", { reason: notice.reason })
  return (
    <div
      className="flex items-center gap-3 border-t border-line bg-sunken/60 px-4 py-2 text-[13px]"
      data-testid="turn-bar"
      data-run-state={state.runState}
    >
      {notice?.kind === "running" ? <Spinner className="size-3.5" /> : null}
      <span
        className={`min-w-0 flex-1 truncate ${notice?.kind === "failed" ? "text-danger" : "text-muted"}`}
        data-testid="turn-notice"
        title={text}
      >
        {text}
      </span>
      {chat && isBusy(state) ? (
        <Button size="sm" onClick={() => void chat.stop()} data-testid="chat-stop">
          <StopIcon className="size-3.5" />
          {t("chat.stop")}
        </Button>
      ) : null}
      {chat && canResume(state) ? (
        <Button size="sm" variant="primary" onClick={() => void chat.resume()} data-testid="chat-resume">
          <PlayIcon className="size-3.5" />
          {t("chat.resume")}
        </Button>
      ) : null}
    </div>
  )
}
