import { Component, lazy, type ReactNode, Suspense, useState } from "react"
import { useT } from "../../app-context.tsx"
import { IconButton } from "../../components/button.tsx"
import { CloseIcon } from "../../components/icons.tsx"
import { Spinner } from "../../components/spinner.tsx"
import type { TerminalConnection } from "../../stores/terminal-store.ts"
import { TerminalBadge, TerminalNotice } from "./terminal-status.tsx"

const XtermView = lazy(() => import("./xterm-view.tsx"))

/** The project's sandbox terminal: a title bar with its state, the reconnect notice, and xterm.js. */
export function TerminalPanel({ projectId, onClose }: { projectId: string; onClose?: () => void }) {
  const t = useT()
  const [connection, setConnection] = useState<TerminalConnection | null>(null)
  return (
    <section
      className="flex min-h-0 min-w-0 flex-1 flex-col"
      aria-label={t("terminal.title")}
      data-testid="terminal-panel"
    >
      <div className="flex h-9 shrink-0 items-center gap-3 border-b border-line pr-1.5 pl-4">
        <h2 className="text-xs font-semibold tracking-wide text-muted uppercase">{t("terminal.title")}</h2>
        {connection ? <TerminalBadge connection={connection} /> : null}
        <span className="flex-1" />
        {onClose ? (
          <IconButton
            label={t("panels.close", { name: t("terminal.title") })}
            onClick={onClose}
            className="size-7"
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
          <XtermView projectId={projectId} onConnection={setConnection} />
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
