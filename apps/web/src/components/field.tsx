import type { InputHTMLAttributes } from "react"

/** A labelled text input; the label names it for screen readers too. */
export function Field({
  label,
  hint,
  id,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string; id: string }) {
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className="text-[13px] font-medium text-fg">
        {label}
        {hint ? <span className="ml-1.5 font-normal text-subtle">({hint})</span> : null}
      </label>
      <input
        id={id}
        className="h-9 rounded-lg border border-line-strong bg-surface px-3 placeholder:text-subtle"
        {...props}
      />
    </div>
  )
}
