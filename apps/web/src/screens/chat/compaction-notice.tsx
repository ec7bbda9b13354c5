import type { SessionState } from "@xionimus/protocol"
import { useChatUi } from "./chat-context.tsx"

/**
 * Where the agent's context was compacted: the messages before it stay in the log and on screen, but
 * the model sees the summary instead. Opens to show the summary, the token saving and the pruned calls.
 */
export function CompactionNotice({ compaction }: { compaction: NonNullable<SessionState["compaction"]> }) {
  const { t } = useChatUi()
  return (
    <details
      className="rounded-lg border border-dashed border-line px-3 py-2 text-xs"
      data-testid="compaction"
    >
      <summary className="cursor-pointer text-center text-subtle">
        {t("chat.compacted")}{" "}
        {t("chat.compacted.tokens", {
          before: compaction.tokensBefore.toLocaleString(),
          after: compaction.tokensAfter.toLocaleString(),
        })}
      </summary>
      <div className="mt-2 flex flex-col gap-2 text-[13px]">
        {compaction.summary ? (
          <p className="whitespace-pre-wrap" data-testid="compaction-summary">
            {compaction.summary}
          </p>
        ) : null}
        {compaction.prunedCallIds.length > 0 ? (
          <p className="text-muted">
            {t("chat.compacted.pruned", { count: String(compaction.prunedCallIds.length) })}
          </p>
        ) : null}
      </div>
    </details>
  )
}
