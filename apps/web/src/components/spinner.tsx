/** A small busy indicator; with a `label` it is announced, otherwise the text beside it says what happens. */
export function Spinner({ label, className = "size-4" }: { label?: string; className?: string }) {
  const ring = (
    <span
      aria-hidden="true"
      className={`inline-block animate-spin rounded-full border-2 border-line-strong border-t-accent ${className}`}
    />
  )
  if (!label) return ring
  return (
    <span role="status" className="inline-flex">
      {ring}
      <span className="sr-only">{label}</span>
    </span>
  )
}
