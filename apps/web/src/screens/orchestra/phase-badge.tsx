import { useT } from "../../app-context.tsx"
import type { RunPhase } from "../../stores/orchestra-view.ts"

const tone: Record<RunPhase, string> = {
  running: "bg-accent-soft text-accent-text",
  waiting: "bg-warning-soft text-warning",
  idle: "bg-sunken text-muted",
  done: "bg-success-soft text-success",
  cancelled: "bg-sunken text-muted",
  failed: "bg-danger-soft text-danger",
  budget: "bg-warning-soft text-warning",
}

/** Where a run is: working, waiting for a person, or how it ended. */
export function PhaseBadge({ phase }: { phase: RunPhase }) {
  const t = useT()
  return (
    <span
      className={`inline-flex shrink-0 items-center rounded-full px-2 py-0.5 text-xs font-medium ${tone[phase]}`}
      data-testid="run-phase"
      data-phase={phase}
    >
      {t(`run.phase.${phase}`)}
    </span>
  )
}
