import type { ReactNode } from "react"

/** A titled part of the run view; the heading names the region for screen readers. */
export function SectionCard({
  id,
  title,
  aside,
  children,
  testId,
}: {
  id: string
  title: string
  aside?: ReactNode
  children: ReactNode
  testId?: string
}) {
  return (
    <section
      aria-labelledby={id}
      className="flex min-w-0 flex-col rounded-xl border border-line bg-surface shadow-xs"
      data-testid={testId}
    >
      <div className="flex items-center justify-between gap-3 border-b border-line px-4 py-2.5">
        <h2 id={id} className="text-sm font-semibold">
          {title}
        </h2>
        {aside}
      </div>
      <div className="min-w-0 p-4">{children}</div>
    </section>
  )
}
