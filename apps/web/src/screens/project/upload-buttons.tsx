import { useRef } from "react"
import { useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { FolderIcon, UploadIcon } from "../../components/icons.tsx"

// React passes unknown lowercase attributes through; TypeScript's DOM types just do not list this one.
const folderPicker = { webkitdirectory: "", directory: "" } as Record<string, string>

/** Two pickers: files, and a whole folder (its files keep their paths inside it). */
export function UploadButtons({
  onFiles,
  disabled,
}: {
  onFiles: (files: File[]) => void
  disabled?: boolean
}) {
  const t = useT()
  const filesInput = useRef<HTMLInputElement>(null)
  const folderInput = useRef<HTMLInputElement>(null)
  const take = (input: HTMLInputElement) => {
    const files = [...(input.files ?? [])]
    input.value = ""
    if (files.length > 0) onFiles(files)
  }
  return (
    <>
      <input
        ref={filesInput}
        type="file"
        multiple
        tabIndex={-1}
        className="sr-only"
        aria-hidden="true"
        data-testid="upload-input"
        onChange={(event) => take(event.currentTarget)}
      />
      <input
        ref={folderInput}
        type="file"
        multiple
        tabIndex={-1}
        className="sr-only"
        aria-hidden="true"
        data-testid="upload-folder-input"
        onChange={(event) => take(event.currentTarget)}
        {...folderPicker}
      />
      <Button
        size="sm"
        disabled={disabled}
        onClick={() => folderInput.current?.click()}
        aria-label={t("project.uploadFolder")}
        title={t("project.uploadFolder")}
        data-testid="upload-folder-button"
      >
        <FolderIcon className="size-3.5" />
        <span className="hidden lg:inline">{t("project.uploadFolder")}</span>
      </Button>
      <Button
        size="sm"
        variant="primary"
        disabled={disabled}
        onClick={() => filesInput.current?.click()}
        aria-label={t("project.uploadFiles")}
        title={t("project.uploadFiles")}
        data-testid="upload-button"
      >
        <UploadIcon className="size-3.5" />
        <span className="hidden sm:inline">{t("project.uploadFiles")}</span>
      </Button>
    </>
  )
}
