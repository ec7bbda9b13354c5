/** The outcome of one doctor check. */
export interface CheckResult {
  name: string
  /** ok: works; fail: broken; warn: works with a caveat, or an optional part is missing. */
  status: "ok" | "fail" | "warn"
  /** A failed required check makes `doctor` exit 1. */
  required: boolean
  detail: string
  /** What to do about a fail or warn. */
  fix?: string
}

export const statusSymbols: Record<CheckResult["status"], string> = { ok: "✓", fail: "✗", warn: "!" }
