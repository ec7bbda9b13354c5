import { useState } from "react"
import { Button } from "./button.tsx"

/**
 * A destructive action that asks first: the button, then in its place the confirming button (danger) and
 * Cancel. Test ids: `testId` for the first button, `testId-confirm` for the second.
 */
export function ConfirmButton({
  label,
  confirmLabel,
  cancelLabel,
  ariaLabel,
  busy = false,
  onConfirm,
  testId,
}: {
  label: string
  /** Says what will go, e.g. "Remove Mia Member": the second click should not need the row to read. */
  confirmLabel: string
  cancelLabel: string
  /** For the first button when its label alone does not say which row it acts on. */
  ariaLabel?: string
  /** While the action runs the confirming button is disabled (no second request). */
  busy?: boolean
  onConfirm: () => void
  testId: string
}) {
  const [confirming, setConfirming] = useState(false)
  if (!confirming)
    return (
      <Button
        size="sm"
        variant="danger"
        onClick={() => setConfirming(true)}
        aria-label={ariaLabel}
        data-testid={testId}
      >
        {label}
      </Button>
    )
  return (
    <span className="flex gap-2">
      <Button
        size="sm"
        variant="danger"
        disabled={busy}
        onClick={onConfirm}
        data-testid={`${testId}-confirm`}
      >
        {confirmLabel}
      </Button>
      <Button size="sm" onClick={() => setConfirming(false)}>
        {cancelLabel}
      </Button>
    </span>
  )
}
