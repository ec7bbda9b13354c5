import { type RunReasonCode, type RunReasonParams, runReasonCodes } from "@xionimus/protocol"
import type { MessageKey } from "../i18n/en.ts"
import type { Translate } from "../i18n/translate.ts"

/** A reason the engine wrote: its English text, and its code and params when it has them. */
export interface CodedText {
  text: string
  code?: string | undefined
  params?: RunReasonParams | undefined
}

const known = new Set<string>(runReasonCodes)
const isKnown = (code: string | undefined): code is RunReasonCode => code !== undefined && known.has(code)
export const reasonKey = (code: RunReasonCode) => `run.reason.${code}` as MessageKey

/**
 * A run's reason in the page's language: the text for its code (a coded `cause` inside it translated
 * first), or the English text the engine wrote when the code is absent (a person's or a role's own
 * words, an older log) or unknown to this client (a newer server).
 */
export function reasonText(t: Translate, reason: CodedText): string {
  if (!isKnown(reason.code)) return reason.text
  const params = { ...(reason.params ?? {}) }
  const causeCode = typeof params.causeCode === "string" ? params.causeCode : undefined
  if (isKnown(causeCode)) params.cause = t(reasonKey(causeCode), params)
  return t(reasonKey(reason.code), params)
}
