import type { ReactNode } from "react"

/** One framed block of a settings section, with its heading (also used by the team and audit sections). */
export function ProfilePanel({
  title,
  description,
  children,
  testId,
}: {
  title: string
  description?: string
  children: ReactNode
  testId?: string
}) {
  const headingId = `panel-${title.replace(/\W+/g, "-").toLowerCase()}`
  return (
    <section
      aria-labelledby={headingId}
      data-testid={testId}
      className="flex flex-col gap-4 rounded-xl border border-line bg-surface p-5 shadow-xs"
    >
      <div>
        <h2 id={headingId} className="text-base font-semibold text-fg">
          {title}
        </h2>
        {description ? <p className="mt-1 text-sm text-muted">{description}</p> : null}
      </div>
      {children}
    </section>
  )
}
