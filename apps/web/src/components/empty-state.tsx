import type { ReactNode } from "react"

/** What a place looks like with nothing in it: what it is for, and what to do next. */
export function EmptyState({
  icon,
  title,
  body,
  action,
  testId,
}: {
  icon: ReactNode
  title: string
  body: string
  action?: ReactNode
  testId?: string
}) {
  return (
    <div data-testid={testId} className="flex flex-col items-center px-6 py-14 text-center">
      <div className="mb-4 flex size-11 items-center justify-center rounded-xl border border-line bg-surface text-muted shadow-xs">
        {icon}
      </div>
      <h2 className="text-base font-semibold text-fg">{title}</h2>
      <p className="mt-1.5 max-w-sm text-muted">{body}</p>
      {action ? <div className="mt-5">{action}</div> : null}
    </div>
  )
}
