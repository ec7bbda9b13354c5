import { type ReactNode, Suspense } from "react"
import { IconButton } from "../../components/button.tsx"
import { CloseIcon } from "../../components/icons.tsx"
import { useModalDialog } from "../../components/modal.tsx"
import { Spinner } from "../../components/spinner.tsx"
import { LazyDiffView } from "./lazy.ts"

export interface DiffDialogProps {
  open: boolean
  title: string
  closeLabel: string
  loadingLabel: string
  onClose(): void
  /** null while the two sides load. */
  diff: { path: string; before: string; after: string } | null
  beforeLabel: string
  afterLabel: string
  dark: boolean
  /** A line above the diff (how faithful it is, or that there is no difference). */
  note?: string | undefined
  /** Buttons below the diff (the conflict's choices). */
  actions?: ReactNode
  /** Controls above the diff (which of a call's files is shown). */
  toolbar?: ReactNode
  testId?: string
}

/** A large modal on the native <dialog> holding a diff view (focus trap and Escape from the browser). */
export function DiffDialog(props: DiffDialogProps) {
  const {
    open,
    title,
    closeLabel,
    loadingLabel,
    onClose,
    diff,
    note,
    actions,
    toolbar,
    testId = "diff-dialog",
  } = props
  const ref = useModalDialog(open)
  const loading = (
    <div className="flex flex-1 items-center justify-center gap-2 p-8 text-muted" data-testid="diff-loading">
      <Spinner /> {loadingLabel}
    </div>
  )
  return (
    <dialog
      ref={ref}
      data-testid={testId}
      aria-labelledby="diff-dialog-title"
      onClose={onClose}
      className="m-auto h-[min(48rem,calc(100%-2rem))] w-[calc(100%-1rem)] max-w-6xl rounded-2xl border border-line bg-surface p-0 text-fg shadow-2xl backdrop:bg-black/40 sm:w-[calc(100%-2rem)]"
    >
      {open ? (
        <div className="flex h-full flex-col">
          <div className="flex shrink-0 items-center justify-between gap-4 border-b border-line px-4 py-3">
            <h2 id="diff-dialog-title" className="min-w-0 truncate font-semibold tracking-tight">
              {title}
            </h2>
            <IconButton label={closeLabel} onClick={onClose} className="-mr-1" data-testid="diff-close">
              <CloseIcon />
            </IconButton>
          </div>
          {note ? (
            <p
              className="shrink-0 border-b border-line bg-sunken px-4 py-2 text-xs text-muted"
              data-testid="diff-note"
            >
              {note}
            </p>
          ) : null}
          {toolbar}
          {diff ? (
            <Suspense fallback={loading}>
              <LazyDiffView
                path={diff.path}
                before={diff.before}
                after={diff.after}
                dark={props.dark}
                beforeLabel={props.beforeLabel}
                afterLabel={props.afterLabel}
              />
            </Suspense>
          ) : (
            loading
          )}
          {actions ? (
            <div className="flex shrink-0 flex-wrap justify-end gap-2 border-t border-line px-4 py-3">
              {actions}
            </div>
          ) : null}
        </div>
      ) : null}
    </dialog>
  )
}
