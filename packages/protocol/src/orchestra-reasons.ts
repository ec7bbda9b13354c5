import { z } from "zod"

/**
 * What a run tells a person (a gate's reason, why a package is blocked or cancelled, how the run ended)
 * as a stable code with params, beside the English text (`reason`, `message`) that the CLI and exports
 * show. The engine writes the English from these texts; the web shows its locale's text for the code
 * (apps/web/src/i18n/orchestra-*.ts) and the English one for a code it does not know. `{name}` is a param.
 * A code's params never change meaning: add a code rather than change one.
 */
export const runReasonTexts = {
  "gate.plan": "The conductor's plan waits for a person's approval.",
  "gate.review": "The reviewer approved {packageId}; a person reviews it before it is merged.",
  "gate.budget.tokens":
    "The run has used {used} of its {limit} tokens. Approve to go on with as much again, edit to set a new budget, or reject to stop.",
  "gate.budget.costUsd":
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a dollar sign before a {param}, not a template
    "The run has spent ${used} of its ${limit} budget. Approve to go on with as much again, edit to set a new budget, or reject to stop.",
  "gate.budget.modelCalls":
    "The run has made {used} of its {limit} model calls. Approve to go on with as much again, edit to set a new budget, or reject to stop.",
  "gate.stuck.noPlan": "The {role} gave no usable plan {count} times in a row.",
  "gate.stuck.blocked": "{packageId} is blocked: {cause} Approve to let it go on, or reject to cancel it.",
  "gate.stuck.reviewBound": "{packageId} reached its bound of {limit} review rounds.",
  "gate.dangerousCommand":
    "The {role} wants to run a command that matches the preset's danger patterns: {command}",
  "gate.permission": "The permission policy asks a person before the {role} may {action}.",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a dollar sign before a {param}, not a template
  "package.budget": "It spent ${spent} of its ${limit} budget.",
  "package.modelCalls": "It used its {limit} model calls.",
  "package.malformed": "malformed output {count} times: {error}",
  "package.mergeConflict": "Merging conflicts with the project in {paths}.",
  "package.reviewBound": "review bound reached ({rounds} rounds)",
  "package.planApproved": "plan approved",
  "package.planRejected": "plan rejected: {comment}",
  "package.reviewRejected": "review gate rejected: {comment}",
  "package.stuckRejected": "stuck gate rejected: {comment}",
  "package.letGoOn": "a person let it go on",
  "package.checksFailed": "acceptance checks failed",
  "package.merged": "approved, checked and merged",
  "run.allDone": "All {count} work package(s) are done.",
  "run.allCancelled": "Every work package was cancelled.",
  "run.cancelled": "Cancelled.",
  "run.cancelledBy": "Cancelled by {by}.",
  "run.stuckRejected": "Stopped at a stuck gate: {comment}",
  "run.budgetNotRaised": "The budget was not raised: {comment}",
} as const
export type RunReasonCode = keyof typeof runReasonTexts
export const runReasonCodes = Object.keys(runReasonTexts) as RunReasonCode[]

export const RunReasonParams = z.record(z.string(), z.union([z.string(), z.number()]))
export type RunReasonParams = z.infer<typeof RunReasonParams>

/** A reason as the engine writes it: the English text, its code and params. */
export interface CodedReason {
  code: RunReasonCode
  params: RunReasonParams
  text: string
}

/** Fills `{name}` in `template` (a name without a param stays as it is). */
export function fillReason(template: string, params: RunReasonParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  )
}

/**
 * The English reason for a code. A `cause` param may itself be coded (`causeCode`, with its params in the
 * same record): the blocked package's reason inside a stuck gate's.
 */
export function runReason(code: RunReasonCode, params: RunReasonParams = {}): CodedReason {
  return { code, params, text: fillReason(runReasonTexts[code], params) }
}

/** `{cause, causeCode, …its params}` for a coded reason that another reason quotes. */
export function causeParams(cause: {
  reason: string
  reasonCode?: string | undefined
  reasonParams?: RunReasonParams | undefined
}): RunReasonParams {
  return {
    ...(cause.reasonParams ?? {}),
    cause: cause.reason,
    ...(cause.reasonCode ? { causeCode: cause.reasonCode } : {}),
  }
}
