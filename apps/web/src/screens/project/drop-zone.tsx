import type { UploadInput } from "@xionimus/sdk"
import { type ReactNode, useRef, useState } from "react"
import { useT } from "../../app-context.tsx"
import { UploadIcon } from "../../components/icons.tsx"
import { carriesFiles, droppedFiles } from "../../lib/dropped-files.ts"

/** Accepts files and folders dragged onto the workspace; an overlay names where they will go. */
export function DropZone({
  targetLabel,
  disabled,
  onDrop,
  children,
}: {
  targetLabel: string
  disabled?: boolean
  onDrop: (files: UploadInput[]) => void
  children: ReactNode
}) {
  const t = useT()
  const [active, setActive] = useState(false)
  // dragenter/dragleave fire for every child crossed; count them to know when the drag really left.
  const depth = useRef(0)
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: dropping is a shortcut; the upload buttons do the same by keyboard.
    <div
      className="relative flex min-h-0 flex-1"
      data-testid="drop-zone"
      onDragEnter={(event) => {
        if (disabled || !carriesFiles(event.dataTransfer)) return
        depth.current += 1
        setActive(true)
      }}
      onDragOver={(event) => {
        if (disabled || !carriesFiles(event.dataTransfer)) return
        event.preventDefault()
        event.dataTransfer.dropEffect = "copy"
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1)
        if (depth.current === 0) setActive(false)
      }}
      onDrop={(event) => {
        if (disabled || !carriesFiles(event.dataTransfer)) return
        event.preventDefault()
        depth.current = 0
        setActive(false)
        void droppedFiles(event.dataTransfer).then(onDrop)
      }}
    >
      {children}
      {active ? (
        <div className="pointer-events-none absolute inset-2 z-10 flex items-center justify-center rounded-xl border-2 border-dashed border-accent bg-accent-soft/80 backdrop-blur-[1px]">
          <p className="flex items-center gap-2 font-medium text-accent-text">
            <UploadIcon />
            {t("project.dropHere", { dir: targetLabel })}
          </p>
        </div>
      ) : null}
    </div>
  )
}
