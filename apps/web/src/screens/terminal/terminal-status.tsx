import { useEffect, useState } from "react"
import { useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { useStore } from "../../lib/store.ts"
import type { TerminalConnection } from "../../stores/terminal-store.ts"

const dotClass = {
  connecting: "bg-warning animate-pulse",
  connected: "bg-success",
  disconnected: "bg-danger",
  exited: "bg-subtle",
  failed: "bg-danger",
}

/** The connection's state as a badge. */
export function TerminalBadge({ connection }: { connection: TerminalConnection }) {
  const t = useT()
  const status = useStore(connection.status)
  return (
    <span
      role="status"
      data-testid="terminal-state"
      data-state={status.state}
      className="inline-flex items-center gap-1.5 text-xs text-muted"
    >
      <span className={`size-2 rounded-full ${dotClass[status.state]}`} aria-hidden="true" />
      {t(`terminal.state.${status.state}`)}
    </span>
  )
}

/** Below the title bar when the shell is not reachable: what happened and what to do. */
export function TerminalNotice({ connection }: { connection: TerminalConnection }) {
  const t = useT()
  const status = useStore(connection.status)
  const [now, setNow] = useState(Date.now)
  // Count down to the next automatic retry.
  useEffect(() => {
    if (status.state !== "disconnected") return
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [status])

  if (status.state === "connecting" || status.state === "connected") return null
  let text: string
  if (status.state === "failed") {
    text =
      status.code === "QUOTA_EXCEEDED"
        ? t("terminal.failedQuota")
        : t("terminal.failed", { message: status.message, code: status.code })
  } else if (status.state === "exited") {
    text = status.limit
      ? t("terminal.exitedLimit", { limit: status.limit })
      : t("terminal.exited", { code: status.exitCode ?? "?" })
  } else {
    const seconds = status.retryAt === null ? 0 : Math.ceil((status.retryAt - now) / 1000)
    text =
      seconds > 0
        ? t("terminal.retryIn", { seconds, attempt: status.attempt })
        : t("terminal.retryNow", { attempt: status.attempt })
  }
  return (
    <div
      className="flex flex-wrap items-center gap-3 border-b border-line bg-warning-soft px-3 py-2 text-[13px]"
      data-testid="terminal-notice"
    >
      <p className="min-w-0 flex-1">
        {text}{" "}
        {status.state === "failed" ? null : <span className="text-muted">{t("terminal.reconnectNote")}</span>}
      </p>
      <Button size="sm" onClick={() => connection.reconnect()} data-testid="terminal-reconnect">
        {status.state === "disconnected" ? t("terminal.reconnect") : t("terminal.newTerminal")}
      </Button>
    </div>
  )
}
