import type { RunStep } from "@xionimus/protocol"
import { useEffect, useState } from "react"
import { useServices, useT } from "../../app-context.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { Spinner } from "../../components/spinner.tsx"
import { useStore } from "../../lib/store.ts"
import { reasonText } from "../../stores/orchestra-reason.ts"
import { createRunView, type RunView } from "../../stores/orchestra-run.ts"
import { ContextPanel } from "./context-panel.tsx"
import { GateCard } from "./gate-card.tsx"
import { MessageFlow } from "./message-flow.tsx"
import { PackageBoard } from "./package-board.tsx"
import { RunHeader } from "./run-header.tsx"
import { RunTotals } from "./run-totals.tsx"
import { SectionCard } from "./section-card.tsx"
import { SpansTable } from "./spans-table.tsx"

/** One run, live: gates to decide, the packages board, messages, CONTEXT.md, steps and totals. */
export function RunScreen({ projectId, runId }: { projectId: string; runId: string }) {
  const { orchestra, streams } = useServices()
  // Made in the effect (not a memo), so that React's development double mount gets a live one.
  const [run, setRun] = useState<RunView | null>(null)
  useEffect(() => {
    const created = createRunView({ orchestra, streams, runId })
    setRun(created)
    void created.open()
    return () => created.dispose()
  }, [orchestra, streams, runId])
  return run ? <RunBody projectId={projectId} run={run} /> : null
}

function RunBody({ projectId, run }: { projectId: string; run: RunView }) {
  const { router } = useServices()
  const t = useT()
  const { status, error, busy, actionError } = useStore(run.state)

  if (!status) {
    if (error) return <ErrorNotice error={error} onRetry={() => void run.open()} testId="run-error" />
    return (
      <p className="flex items-center gap-2 text-muted">
        <Spinner /> {t("run.loading")}
      </p>
    )
  }
  const { state } = status
  const waiting = state.gates.filter((gate) => gate.status === "open")
  const fork = async (seq?: number) => {
    const forked = await run.fork(seq)
    if (forked) router.navigate({ name: "runs", projectId, runId: forked })
  }
  const forkBefore = (step: RunStep) => void fork(Math.max(1, step.startedSeq - 1))

  return (
    <div className="flex flex-col gap-4" data-testid="run-view" data-run-id={state.id}>
      <RunHeader status={status} run={run} onFork={(seq) => void fork(seq)} />
      {actionError ? <ErrorNotice error={actionError} compact testId="run-action-error" /> : null}
      {error ? <ErrorNotice error={error} compact testId="run-stream-error" /> : null}
      {state.forkedFrom ? (
        <p className="rounded-lg bg-sunken px-3 py-2 text-[13px]" data-testid="run-forked-from">
          {t("run.forkedFrom", { runId: state.forkedFrom.runId, seq: state.forkedFrom.seq })}
        </p>
      ) : null}
      {state.ended ? (
        <p
          role="status"
          className="rounded-lg border border-line bg-sunken px-3 py-2 text-[13px]"
          data-testid="run-ended"
          data-outcome={state.ended.outcome}
        >
          {t("run.ended", {
            message: reasonText(t, {
              text: state.ended.message,
              code: state.ended.code,
              params: state.ended.params,
            }),
          })}
        </p>
      ) : null}
      {waiting.length > 0 ? (
        <SectionCard id="run-gates" title={t("run.gates")} testId="run-gates">
          <div className="flex flex-col gap-3" aria-live="polite">
            {waiting.map((gate) => (
              <GateCard
                key={gate.id}
                gate={gate}
                state={state}
                busy={busy !== null}
                onDecide={(input) => run.decide(gate.id, input)}
              />
            ))}
          </div>
        </SectionCard>
      ) : null}
      <SectionCard id="run-board" title={t("run.board")} testId="run-board">
        <PackageBoard packages={state.packages} />
      </SectionCard>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <SectionCard id="run-messages" title={t("run.messages")} testId="run-messages">
          <MessageFlow messages={state.messages} />
        </SectionCard>
        <SectionCard
          id="run-context"
          title={t("run.context")}
          aside={
            <span className="text-xs text-muted" data-testid="context-version">
              {t("run.context.version", { version: state.context.version })}
            </span>
          }
          testId="run-context"
        >
          <ContextPanel state={state} />
        </SectionCard>
      </div>
      <SectionCard id="run-spans" title={t("run.spans")} testId="run-spans">
        <SpansTable projectId={projectId} steps={state.steps} busy={busy !== null} onFork={forkBefore} />
      </SectionCard>
      <SectionCard id="run-totals" title={t("run.totals")} testId="run-totals">
        <RunTotals state={state} />
      </SectionCard>
    </div>
  )
}
