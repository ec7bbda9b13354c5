import type { UploadItem } from "@xionimus/sdk"

// The File System Entry API (webkitGetAsEntry) is the only way to read a dropped folder's contents.
interface EntryBase {
  isFile: boolean
  isDirectory: boolean
  name: string
}
interface FileEntryLike extends EntryBase {
  file(success: (file: File) => void, failure: (error: unknown) => void): void
}
interface DirectoryEntryLike extends EntryBase {
  createReader(): {
    readEntries(success: (entries: EntryBase[]) => void, failure: (error: unknown) => void): void
  }
}

async function readAll(directory: DirectoryEntryLike): Promise<EntryBase[]> {
  const reader = directory.createReader()
  const all: EntryBase[] = []
  // readEntries answers in batches (about 100 in Chromium) until it answers with none.
  for (;;) {
    const batch = await new Promise<EntryBase[]>((resolve, reject) => reader.readEntries(resolve, reject))
    if (batch.length === 0) return all
    all.push(...batch)
  }
}

async function walk(entry: EntryBase, prefix: string, out: UploadItem[]): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileEntryLike).file(resolve, reject))
    out.push({ path, content: file })
  } else if (entry.isDirectory) {
    for (const child of await readAll(entry as DirectoryEntryLike)) await walk(child, path, out)
  }
}

/** Files dropped on the page, folders walked recursively; every item keeps its relative path. */
export async function droppedFiles(transfer: DataTransfer): Promise<UploadItem[]> {
  const entries = [...transfer.items]
    .filter((item) => item.kind === "file")
    .map((item) =>
      (item as DataTransferItem & { webkitGetAsEntry?: () => EntryBase | null }).webkitGetAsEntry?.(),
    )
  if (entries.length === 0 || entries.some((entry) => !entry)) {
    return [...transfer.files].map((file) => ({ path: file.name, content: file }))
  }
  const out: UploadItem[] = []
  for (const entry of entries) await walk(entry as EntryBase, "", out)
  return out
}

/** Whether a drag carries files (and not, say, selected text). */
export function carriesFiles(transfer: DataTransfer | null): boolean {
  return Boolean(transfer?.types.includes("Files"))
}
