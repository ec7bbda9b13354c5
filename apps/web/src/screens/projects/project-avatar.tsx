/** A project's initial on a quiet tile; it helps the eye find a row without adding colour noise. */
export function ProjectAvatar({ name, muted = false }: { name: string; muted?: boolean }) {
  const initial = [...name.trim()][0]?.toUpperCase() ?? "?"
  return (
    <span
      aria-hidden="true"
      className={`flex size-9 shrink-0 items-center justify-center rounded-lg border text-sm font-semibold ${
        muted ? "border-line bg-sunken text-subtle" : "border-accent/15 bg-accent-soft text-accent-text"
      }`}
    >
      {initial}
    </span>
  )
}
