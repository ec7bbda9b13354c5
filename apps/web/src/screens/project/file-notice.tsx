import type { ReactNode } from "react"

/** A centred note inside the file pane (nothing open, binary, too large, deleted). */
export function FileNotice({
  icon,
  title,
  body,
  action,
  testId,
}: {
  icon: ReactNode
  title?: string
  body: string
  action?: ReactNode
  testId?: string
}) {
  return (
    <div
      data-testid={testId}
      className="flex h-full flex-col items-center justify-center gap-2 px-6 py-16 text-center"
    >
      <span className="mb-1 flex size-11 items-center justify-center rounded-xl border border-line bg-sunken text-muted">
        {icon}
      </span>
      {title ? <p className="font-medium">{title}</p> : null}
      <p className="max-w-sm text-muted">{body}</p>
      {action ? <div className="mt-3">{action}</div> : null}
    </div>
  )
}
