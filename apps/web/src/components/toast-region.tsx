import { useServices, useT } from "../app-context.tsx"
import { useStore } from "../lib/store.ts"
import type { Toast } from "../stores/toast-store.ts"
import { AlertIcon, CheckIcon, CloseIcon } from "./icons.tsx"

const toneIcon = {
  info: null,
  success: <CheckIcon className="size-4 text-success" />,
  error: <AlertIcon className="size-4 text-danger" />,
}

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: () => void }) {
  const t = useT()
  return (
    <div
      data-testid="toast"
      data-tone={toast.tone}
      className="pointer-events-auto flex w-full items-center gap-3 rounded-xl border border-line bg-surface py-2.5 pr-2 pl-4 text-fg shadow-lg shadow-black/5 sm:w-auto sm:min-w-80 sm:max-w-md dark:shadow-black/40"
    >
      {toneIcon[toast.tone]}
      <p className="min-w-0 flex-1">
        {toast.message}
        {toast.code ? <code className="ml-2 font-mono text-xs text-danger">{toast.code}</code> : null}
      </p>
      {toast.action ? (
        <button
          type="button"
          data-testid="toast-action"
          className="rounded-md px-2 py-1 font-medium text-accent-text hover:bg-accent-soft"
          onClick={() => {
            toast.action?.run()
            onDismiss()
          }}
        >
          {toast.action.label}
        </button>
      ) : null}
      <button
        type="button"
        aria-label={t("error.dismiss")}
        className="rounded-md p-1.5 text-subtle hover:bg-sunken hover:text-fg"
        onClick={onDismiss}
      >
        <CloseIcon className="size-3.5" />
      </button>
    </div>
  )
}

/** Toasts stack at the bottom; screen readers hear them through the live region. */
export function ToastRegion() {
  const { toasts } = useServices()
  const items = useStore(toasts.state)
  return (
    <section
      aria-live="polite"
      className="pointer-events-none fixed inset-x-0 bottom-0 z-50 flex flex-col items-center gap-2 p-4"
    >
      {items.map((toast) => (
        <ToastItem key={toast.id} toast={toast} onDismiss={() => toasts.dismiss(toast.id)} />
      ))}
    </section>
  )
}
