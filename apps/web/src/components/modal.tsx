import { type ReactNode, type RefObject, useEffect, useRef } from "react"
import { IconButton } from "./button.tsx"
import { CloseIcon } from "./icons.tsx"

/**
 * A modal on the native <dialog>: the browser traps focus, Escape closes it and the rest of the page
 * becomes inert. `onClose` runs however it closes.
 */
export function Modal({
  open,
  title,
  closeLabel,
  onClose,
  children,
  testId,
}: {
  open: boolean
  title: string
  closeLabel: string
  onClose: () => void
  children: ReactNode
  testId?: string
}) {
  const ref = useModalDialog(open)
  return (
    <dialog
      ref={ref}
      data-testid={testId}
      aria-labelledby="modal-title"
      onClose={onClose}
      className="m-auto w-[calc(100%-2rem)] max-w-lg rounded-2xl border border-line bg-surface p-0 text-fg shadow-2xl backdrop:bg-black/40 backdrop:backdrop-blur-[2px]"
    >
      {open ? (
        <div className="p-5 sm:p-6">
          <div className="mb-5 flex items-center justify-between gap-4">
            <h2 id="modal-title" className="text-lg font-semibold tracking-tight">
              {title}
            </h2>
            <IconButton label={closeLabel} onClick={onClose} className="-mr-2">
              <CloseIcon />
            </IconButton>
          </div>
          {children}
        </div>
      ) : null}
    </dialog>
  )
}

/** A <dialog>'s ref that follows `open` with showModal()/close() (focus trap, Escape, backdrop). */
export function useModalDialog(open: boolean): RefObject<HTMLDialogElement | null> {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (open && !dialog.open) dialog.showModal()
    if (!open && dialog.open) dialog.close()
  }, [open])
  return ref
}
