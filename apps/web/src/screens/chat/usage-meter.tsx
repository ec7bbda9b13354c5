import type { SessionUsage } from "@xionimus/protocol"
import { formatCost, formatTokens } from "../../stores/chat-view.ts"
import { useChatUi } from "./chat-context.tsx"

/** Tokens in and out and the cost of the session so far. */
export function UsageMeter({ usage }: { usage: SessionUsage }) {
  const { t, locale } = useChatUi()
  return (
    <span
      className="inline-flex items-center gap-2 rounded-full border border-line px-2.5 py-1 text-xs text-muted tabular-nums"
      title={t("chat.meter")}
      data-testid="usage-meter"
      data-cost={usage.costUsd}
      data-output-tokens={usage.outputTokens}
    >
      <span>
        {t("chat.tokens", {
          input: formatTokens(usage.inputTokens, locale),
          output: formatTokens(usage.outputTokens, locale),
        })}
      </span>
      <span className="font-medium text-fg" data-testid="usage-cost">
        {formatCost(usage.costUsd, locale)}
      </span>
    </span>
  )
}
