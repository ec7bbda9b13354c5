/** The editor's texts (English): tabs, saving, conflicts, drafts and the diff view. */
export const editorEn = {
  "editor.tabs": "Open files",
  "editor.tab.close": "Close {name}",
  "editor.tab.unsaved": "unsaved changes",
  "editor.label": "Contents of {name}",
  "editor.loading": "Loading the editor…",
  "editor.save": "Save",
  "editor.saving": "Saving…",
  "editor.saveLabel": "Save {name} (Ctrl+S)",
  "editor.saved": "Saved",
  "editor.unsaved": "Unsaved",
  "editor.restored": "Your unsaved changes from last time were restored.",
  "editor.restored.keep": "Keep",
  "editor.restored.discard": "Discard them",
  "editor.conflict.save":
    "This file was changed by someone else since you opened it, so your save was refused. Your changes are still here: choose which version to keep.",
  "editor.conflict.changed":
    "This file changed while you had unsaved changes. Your changes are still here: choose which version to keep.",
  "editor.conflict.deleted":
    "This file was deleted or moved while you had unsaved changes. Save yours to create it again, or discard them.",
  "editor.conflict.takeTheirs": "Reload theirs (discard mine)",
  "editor.conflict.overwrite": "Overwrite with mine",
  "editor.conflict.recreate": "Save mine as the file",
  "editor.conflict.discard": "Discard mine",
  "editor.conflict.compare": "Compare",
  "editor.storageFull":
    "This browser's storage is full, so unsaved changes would be lost on a reload. Save your files or close some tabs.",
  "editor.close.title": "Discard unsaved changes?",
  "editor.close.body": "“{name}” has changes that are not saved. Closing the tab discards them.",
  "editor.close.discard": "Discard and close",
  "editor.close.cancel": "Keep editing",
  "diff.title": "Changes in {name}",
  "diff.conflictTitle": "{name}: theirs and yours",
  "diff.before": "Before",
  "diff.after": "After",
  "diff.theirs": "Theirs (on the server)",
  "diff.mine": "Yours (unsaved)",
  "diff.close": "Close the diff",
  "diff.loading": "Loading the diff…",
  "diff.same": "No differences.",
  "diff.afterOnly":
    "The session does not hold this file's earlier content; this shows everything the agent wrote.",
  "diff.fragments":
    "The file has changed since this call, so this shows only the text the edit replaced and what it put in its place.",
  "diff.error": "The diff could not be loaded.",
  "diff.open": "View diff",
  "diff.openLabel": "View the diff of {path}",
} as const
