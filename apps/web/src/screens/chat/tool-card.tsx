import type { ToolPart } from "@xionimus/protocol"
import { Spinner } from "../../components/spinner.tsx"
import { formatInput, toolSubject } from "../../stores/chat-view.ts"
import { ToolDiffButton } from "../editor/tool-diff-button.tsx"
import { useChatUi } from "./chat-context.tsx"

const statusStyle: Record<ToolPart["status"], string> = {
  pending: "bg-sunken text-muted",
  running: "bg-accent-soft text-accent-text",
  completed: "bg-success-soft text-success",
  error: "bg-danger-soft text-danger",
}

/** One tool call: its tool, title and status; arguments and output fold open; live output while it runs. */
export function ToolCard({ part }: { part: ToolPart }) {
  const { t } = useChatUi()
  const output = part.output ?? (part.liveOutput || undefined)
  const running = part.status === "running" || part.status === "pending"
  const subject = toolSubject(part.title, part.input)
  return (
    <div
      className="rounded-lg border border-line bg-surface text-[13px]"
      data-testid="tool-card"
      data-tool={part.tool}
      data-status={part.status}
    >
      <div className="flex items-center gap-2 px-3 py-2">
        <code className="rounded bg-sunken px-1.5 py-0.5 font-mono text-xs">{part.tool}</code>
        <span className="min-w-0 flex-1 truncate text-muted" title={subject} data-testid="tool-title">
          {subject}
        </span>
        <span
          className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ${statusStyle[part.status]}`}
          data-testid="tool-status"
        >
          {running ? <Spinner className="size-3" /> : null}
          {t(`chat.tool.${part.status}`)}
        </span>
        <ToolDiffButton part={part} />
      </div>
      {part.error ? (
        <p className="border-t border-line px-3 py-2 text-danger" data-testid="tool-error">
          {part.error.message} <code className="font-mono text-xs">{part.error.code}</code>
        </p>
      ) : null}
      <details className="border-t border-line">
        <summary className="cursor-pointer px-3 py-1.5 text-xs text-muted select-none">
          {t("chat.tool.arguments")}
        </summary>
        <pre className="max-h-64 overflow-auto px-3 pb-2 font-mono text-xs" data-testid="tool-input">
          {formatInput(part.input)}
        </pre>
      </details>
      {output !== undefined ? (
        <details className="border-t border-line" open={part.status === "running"}>
          <summary className="cursor-pointer px-3 py-1.5 text-xs text-muted select-none">
            {t("chat.tool.output")}
          </summary>
          <pre
            className="max-h-80 overflow-auto px-3 pb-2 font-mono text-xs whitespace-pre-wrap"
            data-testid="tool-output"
          >
            {output}
          </pre>
        </details>
      ) : null}
    </div>
  )
}
