import type { RunStep } from "@xionimus/protocol"
import { useT } from "../../app-context.tsx"
import { ForkIcon } from "../../components/icons.tsx"
import { routeHref } from "../../lib/router.ts"
import { useFormatters } from "./use-formatters.ts"

const outcomeKeys = {
  completed: "run.outcome.completed",
  failed: "run.outcome.failed",
  budget: "run.outcome.budget",
  limit: "run.outcome.limit",
  cancelled: "run.outcome.cancelled",
  malformed: "run.outcome.malformed",
  blocked: "run.outcome.blocked",
} as const

/** Each step as a span: role (linked to its conversation, a session of the project), purpose, model, package, tokens, cost, time, outcome; fork before it. */
export function SpansTable({
  projectId,
  steps,
  busy,
  onFork,
}: {
  projectId: string
  steps: readonly RunStep[]
  busy: boolean
  onFork?: (step: RunStep, index: number) => void
}) {
  const t = useT()
  const format = useFormatters()
  if (steps.length === 0)
    return (
      <p className="text-[13px] text-muted" data-testid="spans-empty">
        {t("run.spans.empty")}
      </p>
    )
  const head = "px-2 py-1.5 text-left text-xs font-medium text-muted whitespace-nowrap"
  const cell = "px-2 py-1.5 whitespace-nowrap"
  return (
    <section
      className="relative overflow-x-auto"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
      tabIndex={0}
      aria-label={t("run.spans")}
    >
      <table className="w-full text-[13px]" data-testid="spans">
        <thead>
          <tr className="border-b border-line">
            <th scope="col" className={head}>
              {t("run.spans.step")}
            </th>
            <th scope="col" className={head}>
              {t("run.spans.role")}
            </th>
            <th scope="col" className={head}>
              {t("run.spans.purpose")}
            </th>
            <th scope="col" className={head}>
              {t("run.spans.model")}
            </th>
            <th scope="col" className={head}>
              {t("run.spans.package")}
            </th>
            <th scope="col" className={`${head} text-right`}>
              {t("run.spans.tokens")}
            </th>
            <th scope="col" className={`${head} text-right`}>
              {t("run.spans.cost")}
            </th>
            <th scope="col" className={`${head} text-right`}>
              {t("run.spans.latency")}
            </th>
            <th scope="col" className={head}>
              {t("run.spans.outcome")}
            </th>
            {onFork ? (
              <th scope="col" className={head}>
                <span className="sr-only">{t("run.fork")}</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {steps.map((step, index) => (
            <tr
              key={step.stepId}
              className="border-b border-line last:border-0"
              data-testid="span"
              data-role={step.role}
              data-status={step.status}
            >
              <td className={`${cell} font-mono text-xs`} title={step.stepId}>
                {index + 1}
                {step.parentStepId ? (
                  <span className="text-subtle"> ← {Number(step.parentStepId.split("_").at(-1))}</span>
                ) : null}
              </td>
              <td className={cell}>
                <a
                  href={routeHref({ name: "sessions", projectId, sessionId: step.sessionId })}
                  className="underline decoration-line-strong underline-offset-2 hover:text-accent-text"
                  title={t("run.spans.openSession", { role: step.role })}
                  data-testid="span-session"
                >
                  {step.role}
                </a>
              </td>
              <td className={cell}>{t(`run.purpose.${step.purpose}`)}</td>
              <td className={`${cell} font-mono text-xs`}>{step.model}</td>
              <td className={`${cell} font-mono text-xs`}>{step.packageId ?? "–"}</td>
              <td className={`${cell} text-right tabular-nums`}>
                {step.usage
                  ? `${format.tokens(step.usage.inputTokens)} / ${format.tokens(step.usage.outputTokens)}`
                  : "–"}
              </td>
              <td className={`${cell} text-right tabular-nums`} data-testid="span-cost">
                {step.usage ? format.cost(step.usage.costUsd) : "–"}
              </td>
              <td className={`${cell} text-right tabular-nums`}>
                {step.latencyMs !== undefined ? format.duration(step.latencyMs) : "–"}
              </td>
              <td className={cell} title={step.error?.message}>
                {step.status === "running"
                  ? t("run.spans.running")
                  : step.outcome && step.outcome in outcomeKeys
                    ? t(outcomeKeys[step.outcome as keyof typeof outcomeKeys])
                    : step.outcome}
              </td>
              {onFork ? (
                <td className={cell}>
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() => onFork(step, index)}
                    className="inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 text-xs text-muted hover:bg-sunken hover:text-fg disabled:opacity-50"
                    aria-label={t("run.forkAtStep", { step: index + 1 })}
                    title={t("run.forkAtStep", { step: index + 1 })}
                    data-testid="span-fork"
                  >
                    <ForkIcon className="size-3.5" />
                    {t("run.forkHere")}
                  </button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
