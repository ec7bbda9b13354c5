import { Component, lazy, type ReactNode, Suspense, useCallback, useState } from "react"
import { useT } from "../../app-context.tsx"
import { IconButton } from "../../components/button.tsx"
import { CloseIcon, PlusIcon } from "../../components/icons.tsx"
import { Spinner } from "../../components/spinner.tsx"
import type { TerminalConnection } from "../../stores/terminal-store.ts"
import { TerminalBadge, TerminalNotice } from "./terminal-status.tsx"

const XtermView = lazy(() => import("./xterm-view.tsx"))

/**
 * The project's sandbox terminals: a title bar with the open one's state, its tabs (each its own shell) and
 * "+", the reconnect notice, and xterm.js. Hidden tabs stay mounted so their shells keep running.
 */
export function TerminalPanel({ projectId, onClose }: { projectId: string; onClose?: () => void }) {
  const t = useT()
  const [tabs, setTabs] = useState<number[]>([1])
  const [active, setActive] = useState(1)
  const [connections, setConnections] = useState<Record<number, TerminalConnection>>({})
  const report = useCallback((id: number, connection: TerminalConnection | null) => {
    setConnections((previous) => {
      const next = { ...previous }
      if (connection) next[id] = connection
      else delete next[id]
      return next
    })
  }, [])
  const connection = connections[active] ?? null
  const add = () => {
    const id = Math.max(0, ...tabs) + 1
    setTabs([...tabs, id])
    setActive(id)
  }
  const close = (id: number) => {
    const index = tabs.indexOf(id)
    const rest = tabs.filter((tab) => tab !== id)
    setTabs(rest)
    if (active === id) setActive(rest[Math.max(0, index - 1)] ?? rest[0] ?? 1)
  }

  return (
    <section
      className="flex min-h-0 min-w-0 flex-1 flex-col"
      aria-label={t("terminal.title")}
      data-testid="terminal-panel"
    >
      <div className="flex h-9 shrink-0 items-center gap-3 border-b border-line pr-1.5 pl-4">
        <h2 className="text-xs font-semibold tracking-wide text-muted uppercase">{t("terminal.title")}</h2>
        {connection ? <TerminalBadge connection={connection} /> : null}
        {tabs.length > 1 ? (
          <div
            className="flex min-w-0 items-center gap-0.5 overflow-x-auto"
            role="tablist"
            aria-label={t("terminal.tabs")}
          >
            {tabs.map((id) => (
              <span key={id} className="flex shrink-0 items-center">
                <button
                  type="button"
                  role="tab"
                  aria-selected={id === active}
                  onClick={() => setActive(id)}
                  data-testid="terminal-tab"
                  className={`h-7 rounded-md px-2 text-xs font-medium ${
                    id === active ? "bg-sunken text-fg" : "text-muted hover:text-fg"
                  }`}
                >
                  {t("terminal.tab", { number: id })}
                </button>
                <IconButton
                  label={t("terminal.closeTab", { number: id })}
                  onClick={() => close(id)}
                  className="size-6!"
                  data-testid="terminal-tab-close"
                >
                  <CloseIcon className="size-3" />
                </IconButton>
              </span>
            ))}
          </div>
        ) : null}
        <IconButton
          label={t("terminal.newTab")}
          onClick={add}
          className="size-7!"
          data-testid="terminal-new-tab"
        >
          <PlusIcon className="size-3.5" />
        </IconButton>
        <span className="flex-1" />
        {onClose ? (
          <IconButton
            label={t("panels.close", { name: t("terminal.title") })}
            onClick={onClose}
            className="size-7!"
            data-testid="terminal-close"
          >
            <CloseIcon className="size-3.5" />
          </IconButton>
        ) : null}
      </div>
      {connection ? <TerminalNotice connection={connection} /> : null}
      <LoadBoundary fallback={<p className="p-4 text-[13px] text-danger">{t("terminal.loadFailed")}</p>}>
        <Suspense
          fallback={
            <div className="flex flex-1 items-center justify-center gap-2 text-[13px] text-muted">
              <Spinner />
              {t("terminal.loading")}
            </div>
          }
        >
          {tabs.map((id) => (
            <div key={id} className={`${id === active ? "flex" : "hidden"} min-h-0 min-w-0 flex-1 flex-col`}>
              <XtermView projectId={projectId} id={id} onConnection={report} />
            </div>
          ))}
        </Suspense>
      </LoadBoundary>
    </section>
  )
}

/** The terminal's chunk failed to load (offline, a new deploy): say so instead of breaking the page. */
class LoadBoundary extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false }
  static getDerivedStateFromError() {
    return { failed: true }
  }
  override render() {
    return this.state.failed ? this.props.fallback : this.props.children
  }
}
