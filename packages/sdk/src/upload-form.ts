/** One file to upload: its bytes and its path relative to the target directory ("docs/a.md"). */
export interface UploadItem {
  path: string
  content: Blob
}

/** A browser File (from a picker with webkitdirectory it carries its folder path) or an explicit item. */
export type UploadInput = File | UploadItem

function isUploadItem(input: UploadInput): input is UploadItem {
  return typeof (input as UploadItem).path === "string" && "content" in input
}

/** The relative path a file is uploaded under: folder uploads keep their folders. */
export function uploadPath(input: UploadInput): string {
  if (isUploadItem(input)) return input.path
  const relative = (input as File & { webkitRelativePath?: string }).webkitRelativePath
  return relative || input.name
}

/**
 * The multipart body of an upload: one `file` part per file, its filename holding the relative path,
 * which is how the server learns the folder structure.
 */
export function uploadForm(inputs: readonly UploadInput[]): FormData {
  const form = new FormData()
  for (const input of inputs) {
    const content = isUploadItem(input) ? input.content : input
    form.append("file", content, uploadPath(input))
  }
  return form
}
