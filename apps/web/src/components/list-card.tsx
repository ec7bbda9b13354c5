import type { ReactNode } from "react"

/** The framed list every collection screen uses; rows are separated by hairlines. */
export function ListCard({
  label,
  children,
  testId,
}: {
  label: string
  children: ReactNode
  testId?: string
}) {
  return (
    <ul
      aria-label={label}
      data-testid={testId}
      className="divide-y divide-line overflow-hidden rounded-xl border border-line bg-surface shadow-xs"
    >
      {children}
    </ul>
  )
}

/** A placeholder row shape shown while the first page loads. */
export function SkeletonRows({ count = 3 }: { count?: number }) {
  return (
    <div
      aria-hidden="true"
      className="divide-y divide-line overflow-hidden rounded-xl border border-line bg-surface"
    >
      {Array.from({ length: count }, (_, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders without identity.
        <div key={index} className="flex items-center gap-3 px-5 py-3.5">
          <div className="size-9 animate-pulse rounded-lg bg-sunken" />
          <div className="flex-1 space-y-2">
            <div className="h-3 w-1/3 animate-pulse rounded bg-sunken" />
            <div className="h-2.5 w-1/5 animate-pulse rounded bg-sunken" />
          </div>
        </div>
      ))}
    </div>
  )
}
