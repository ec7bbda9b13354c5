import { useServices, useT } from "../app-context.tsx"
import { useStore } from "../lib/store.ts"

const dotClass = {
  open: "bg-success",
  connecting: "bg-warning animate-pulse",
  reconnecting: "bg-warning animate-pulse",
  closed: "bg-subtle",
}

/** Whether live updates flow: the state of the WebSocket stream client. */
export function ConnectionBadge() {
  const { connection } = useServices()
  const t = useT()
  const state = useStore(connection)
  const text = t(`connection.${state}`)
  return (
    <span
      data-testid="connection-state"
      data-state={state}
      role="status"
      aria-label={t("connection.label", { state: text })}
      title={t("connection.label", { state: text })}
      className="inline-flex h-8 items-center gap-2 rounded-full px-2.5 text-xs font-medium text-muted"
    >
      <span className={`size-2 rounded-full ${dotClass[state]}`} aria-hidden="true" />
      <span className="hidden sm:inline">{text}</span>
    </span>
  )
}
