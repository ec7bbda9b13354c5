import { useT } from "../../app-context.tsx"
import { buttonClass } from "../../components/button.tsx"
import { BoxIcon, ChatIcon, FileIcon } from "../../components/icons.tsx"
import { routeHref } from "../../lib/router.ts"

/** Files, chat or orchestra runs: the views of a project. */
export function ViewSwitch({ projectId, view }: { projectId: string; view: "files" | "sessions" | "runs" }) {
  const t = useT()
  const item = (active: boolean) =>
    `inline-flex h-8 items-center gap-1.5 rounded-md px-2.5 text-[13px] font-medium ${
      active ? "bg-surface text-fg shadow-xs" : "text-muted hover:text-fg"
    }`
  return (
    <nav className="flex rounded-lg bg-sunken p-0.5" aria-label={t("view.label")}>
      <a
        href={routeHref({ name: "project", projectId, path: null })}
        className={item(view === "files")}
        aria-current={view === "files" ? "page" : undefined}
        data-testid="view-files"
      >
        <FileIcon className="size-3.5" />
        {t("view.files")}
      </a>
      <a
        href={routeHref({ name: "sessions", projectId, sessionId: null })}
        className={item(view === "sessions")}
        aria-current={view === "sessions" ? "page" : undefined}
        data-testid="view-sessions"
      >
        <ChatIcon className="size-3.5" />
        {t("view.sessions")}
      </a>
      <a
        href={routeHref({ name: "runs", projectId, runId: null })}
        className={item(view === "runs")}
        aria-current={view === "runs" ? "page" : undefined}
        data-testid="view-runs"
      >
        <BoxIcon className="size-3.5" />
        {t("view.runs")}
      </a>
    </nav>
  )
}

/** On a phone the panels' tabs switch files and chat; the orchestra's runs are this one link. */
export function RunsLink({ projectId }: { projectId: string }) {
  const t = useT()
  return (
    <a
      href={routeHref({ name: "runs", projectId, runId: null })}
      className={buttonClass("secondary", "sm")}
      aria-label={t("view.runs")}
      title={t("view.runs")}
      data-testid="view-runs"
    >
      <BoxIcon className="size-3.5" />
    </a>
  )
}
