import { useT } from "../../app-context.tsx"
import type { MessageKey } from "../../i18n/en.ts"
import type { ImportProgressView } from "../../stores/import-progress.ts"

const phaseLabels: Record<string, MessageKey> = {
  preparing: "create.phase.starting",
  done: "create.phase.done",
  cloning: "create.phase.cloning",
  "receiving-objects": "create.phase.receiving",
  "resolving-deltas": "create.phase.resolving",
  "updating-files": "create.phase.checkout",
  extracting: "create.phase.extracting",
}

/** The import's phase and, where the phase knows it, how far it got (announced politely). */
export function ImportProgressBar({ progress }: { progress: ImportProgressView | null }) {
  const t = useT()
  const label = progress
    ? t(phaseLabels[progress.phase] ?? "create.phase.working")
    : t("create.phase.starting")
  const percent = progress?.ratio == null ? null : Math.round(progress.ratio * 100)
  return (
    <div className="flex flex-col gap-1.5" data-testid="create-progress" data-phase={progress?.phase ?? ""}>
      <div className="flex items-baseline justify-between gap-3 text-[13px]">
        <span aria-live="polite">{label}</span>
        {percent !== null ? <span className="text-muted tabular-nums">{percent} %</span> : null}
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        {...(percent !== null ? { "aria-valuenow": percent } : {})}
        className="h-1.5 overflow-hidden rounded-full bg-sunken"
      >
        <div
          className={`h-full rounded-full bg-accent transition-[width] ${percent === null ? "w-1/3 animate-pulse" : ""}`}
          style={percent !== null ? { width: `${percent}%` } : undefined}
        />
      </div>
      {progress?.message ? (
        <p className="truncate font-mono text-xs text-subtle" title={progress.message}>
          {progress.message}
        </p>
      ) : null}
    </div>
  )
}
