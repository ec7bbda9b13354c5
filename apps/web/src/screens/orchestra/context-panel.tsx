import type { RunState } from "@xionimus/protocol"
import { useT } from "../../app-context.tsx"
import { contextRows } from "../../stores/orchestra-view.ts"

/** CONTEXT.md as its sections: each with its owners, its version and the role that wrote it last. */
export function ContextPanel({ state }: { state: RunState }) {
  const t = useT()
  return (
    <div className="flex flex-col gap-3" data-testid="context">
      {contextRows(state).map((row) => (
        <section
          key={row.section}
          aria-labelledby={`context-${row.section}`}
          className="flex flex-col gap-1"
          data-testid="context-section"
          data-section={row.section}
          data-version={row.version}
        >
          <h3 id={`context-${row.section}`} className="flex flex-wrap items-baseline gap-x-2">
            <span className="font-semibold">{t(`run.context.section.${row.section}`)}</span>
            <span className="text-xs font-normal text-muted">
              {t("run.context.version", { version: row.version })}
              {row.owners.length > 0
                ? ` · ${t("run.context.owners", { owners: row.owners.join(", ") })}`
                : null}
              {row.by ? ` · ${t("run.context.by", { role: row.by })}` : null}
            </span>
          </h3>
          <div
            className={`rounded-lg bg-sunken px-3 py-2 text-[13px] whitespace-pre-wrap break-words ${row.text ? "" : "text-subtle"}`}
            data-testid="context-text"
          >
            {row.text || t("run.context.empty")}
          </div>
        </section>
      ))}
    </div>
  )
}
