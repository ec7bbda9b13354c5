import { CopyButton } from "./profile-copy-button.tsx"

/** A secret or link shown once: selectable text and a copy button. */
export function ProfileSecret({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="flex flex-col gap-1.5">
      <span className="text-[13px] font-medium text-fg">{label}</span>
      <div className="flex flex-wrap items-center gap-2">
        <code
          data-testid={testId}
          className="min-w-0 flex-1 break-all rounded-lg border border-line bg-sunken px-3 py-2 font-mono text-[13px] select-all"
        >
          {value}
        </code>
        <CopyButton text={value} testId={`${testId}-copy`} />
      </div>
    </div>
  )
}
