import type { RunPackage } from "@xionimus/protocol"
import { useT } from "../../app-context.tsx"
import { reasonText } from "../../stores/orchestra-reason.ts"
import { boardColumns, checksPassed } from "../../stores/orchestra-view.ts"

/** One package: title, id, revision, files, checks, merge state. */
function PackageCard({ item }: { item: RunPackage }) {
  const t = useT()
  const passed = checksPassed(item)
  return (
    <li
      className="flex flex-col gap-1 rounded-lg border border-line bg-surface p-2.5 text-[13px] shadow-xs"
      data-testid="package-card"
      data-package-id={item.id}
      data-state={item.state}
    >
      <span className="font-medium break-words" data-testid="package-title">
        {item.title}
      </span>
      <span className="font-mono text-[11px] break-all text-subtle">{item.id}</span>
      <span className="flex flex-wrap gap-x-2 text-xs text-muted">
        {item.revision > 0 ? <span>{t("run.package.revision", { revision: item.revision })}</span> : null}
        {item.files.length > 0 ? (
          <span title={item.files.join("\n")}>{t("run.package.files", { count: item.files.length })}</span>
        ) : null}
        {item.acceptance.length > 0 ? (
          <span>{t("run.package.checks", { passed, total: item.acceptance.length })}</span>
        ) : null}
        {item.merged ? <span className="text-success">{t("run.package.merged")}</span> : null}
      </span>
      {item.conflict ? (
        <span className="text-xs text-danger">
          {t("run.package.conflict", { paths: item.conflict.join(", ") })}
        </span>
      ) : null}
      {item.reason && (item.state === "blocked" || item.state === "cancelled") ? (
        <span className="text-xs text-muted" data-testid="package-reason">
          {reasonText(t, { text: item.reason, code: item.reasonCode, params: item.reasonParams })}
        </span>
      ) : null}
    </li>
  )
}

/**
 * The packages board: a column per state. Columns scroll sideways on a narrow screen (each keeps a
 * readable width) instead of squeezing; the region itself is keyboard-scrollable.
 */
export function PackageBoard({ packages }: { packages: readonly RunPackage[] }) {
  const t = useT()
  if (packages.length === 0)
    return (
      <p className="text-[13px] text-muted" data-testid="board-empty">
        {t("run.board.empty")}
      </p>
    )
  return (
    <section
      className="relative -mx-1 flex snap-x gap-3 overflow-x-auto px-1 pb-2"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
      tabIndex={0}
      aria-label={t("run.board")}
      data-testid="board"
    >
      {boardColumns(packages).map((column) => {
        const id = `board-${column.state}`
        return (
          <section
            key={column.state}
            aria-labelledby={id}
            className={`flex shrink-0 snap-start flex-col gap-2 rounded-lg bg-sunken p-2 ${column.packages.length > 0 ? "w-52" : "w-36"}`}
            data-testid="board-column"
            data-state={column.state}
          >
            <h3
              id={id}
              className="flex items-center justify-between px-1 text-xs font-semibold text-muted uppercase"
            >
              {t(`run.state.${column.state}`)}
              <span className="font-normal">{column.packages.length}</span>
            </h3>
            <ul className="flex flex-col gap-2">
              {column.packages.map((item) => (
                <PackageCard key={item.id} item={item} />
              ))}
            </ul>
          </section>
        )
      })}
    </section>
  )
}
