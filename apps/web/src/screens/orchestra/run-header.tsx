import type { RunStatus } from "@xionimus/protocol"
import { useServices, useT } from "../../app-context.tsx"
import { Button, LinkButton } from "../../components/button.tsx"
import { DownloadIcon, ForkIcon, PlayIcon, StopIcon } from "../../components/icons.tsx"
import { useStore } from "../../lib/store.ts"
import type { RunView } from "../../stores/orchestra-run.ts"
import { budgetUse, runPhase } from "../../stores/orchestra-view.ts"
import { PhaseBadge } from "./phase-badge.tsx"
import { useFormatters } from "./use-formatters.ts"

/** The run's goal, where it is, its cost so far against its budget, and Cancel / Resume / Fork / Export. */
export function RunHeader({
  status,
  run,
  onFork,
}: {
  status: RunStatus
  run: RunView
  onFork: (seq?: number) => void
}) {
  const t = useT()
  const format = useFormatters()
  const { connection } = useServices()
  const online = useStore(connection) === "open"
  const busy = useStore(run.state, (state) => state.busy)
  const { state, active } = status
  const phase = runPhase(state, active)
  const limits = budgetUse(state.totals.run, state.budget)
  const shown = (kind: "costUsd" | "tokens" | "modelCalls", value: number) =>
    kind === "costUsd" ? format.cost(value) : format.number(value)
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-start gap-3">
        <h1
          className="min-w-0 flex-1 text-lg font-semibold break-words sm:text-xl"
          data-testid="run-goal-title"
        >
          {state.goal}
        </h1>
        <PhaseBadge phase={phase} />
        {!state.ended && online ? (
          <span className="flex items-center gap-1 text-xs text-success" data-testid="run-live">
            <span className="size-1.5 rounded-full bg-success" aria-hidden="true" />
            {t("run.live")}
          </span>
        ) : null}
      </div>
      <p className="font-mono text-xs text-muted">{state.id}</p>
      <div className="flex flex-wrap items-center gap-x-5 gap-y-2 text-[13px]">
        <span>
          <span className="text-muted">{t("run.costSoFar")}: </span>
          <span className="font-medium tabular-nums" data-testid="run-cost">
            {format.cost(state.totals.run.costUsd)}
          </span>
        </span>
        {limits.length === 0 ? <span className="text-subtle">{t("run.noBudget")}</span> : null}
        {limits.map((limit) => (
          <span key={limit.kind} className="flex items-center gap-2" data-testid="run-budget">
            <span className="text-muted">{t(`run.budget.${limit.kind}`)}:</span>
            <meter
              min={0}
              max={1}
              value={limit.fraction}
              high={0.8}
              className="h-2 w-20"
              aria-label={t(`run.budget.${limit.kind}`)}
            />
            <span className="tabular-nums">
              {t("run.budgetOf", {
                used: shown(limit.kind, limit.used),
                limit: shown(limit.kind, limit.limit),
              })}
            </span>
          </span>
        ))}
      </div>
      <fieldset className="m-0 flex min-w-0 flex-wrap gap-2 border-0 p-0">
        <legend className="sr-only">{t("run.actions")}</legend>
        {!state.ended ? (
          <Button
            size="sm"
            variant="danger"
            disabled={busy !== null}
            onClick={() => {
              if (window.confirm(t("run.cancelConfirm"))) void run.cancel()
            }}
            data-testid="run-cancel"
          >
            <StopIcon className="size-3.5" />
            {t("run.cancel")}
          </Button>
        ) : null}
        {!state.ended && active.length === 0 && state.gates.every((gate) => gate.status !== "open") ? (
          <Button
            size="sm"
            disabled={busy !== null}
            onClick={() => void run.resume()}
            data-testid="run-resume"
          >
            <PlayIcon className="size-3.5" />
            {t("run.resume")}
          </Button>
        ) : null}
        <Button size="sm" disabled={busy !== null} onClick={() => onFork()} data-testid="run-fork">
          <ForkIcon className="size-3.5" />
          {t("run.fork")}
        </Button>
        <LinkButton size="sm" href={run.exportUrl()} download={`${state.id}.json`} data-testid="run-export">
          <DownloadIcon className="size-3.5" />
          {t("run.export")}
        </LinkButton>
      </fieldset>
    </div>
  )
}
