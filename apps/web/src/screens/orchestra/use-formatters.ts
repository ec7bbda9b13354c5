import { useLocale } from "../../app-context.tsx"
import { formatCost, formatTokens } from "../../stores/chat-view.ts"

/** Money, token counts and durations in the page's language. */
export function useFormatters() {
  const locale = useLocale()
  return {
    cost: (usd: number) => formatCost(usd, locale),
    tokens: (count: number) => formatTokens(count, locale),
    number: (value: number) => new Intl.NumberFormat(locale).format(value),
    duration: (ms: number) =>
      ms < 1000
        ? `${new Intl.NumberFormat(locale).format(Math.round(ms))} ms`
        : `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(ms / 1000)} s`,
  }
}
