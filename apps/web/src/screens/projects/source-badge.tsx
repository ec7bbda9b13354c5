import type { ProjectSource } from "@xionimus/protocol"
import { useT } from "../../app-context.tsx"

/** Where a project came from: its template, git, a zip, or empty. */
export function SourceBadge({ source }: { source: ProjectSource }) {
  const t = useT()
  const text =
    source.kind === "template"
      ? t(`source.${source.template}`)
      : source.kind === "git"
        ? t("source.git")
        : source.kind === "zip"
          ? t("source.zip")
          : t("source.empty")
  return (
    <span className="inline-flex shrink-0 items-center whitespace-nowrap rounded-md border border-line bg-sunken px-1.5 py-px text-[11px] font-medium text-muted">
      {text}
    </span>
  )
}
