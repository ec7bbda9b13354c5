/** Texts of an agent call's changes (the diff of every file a call changed), spread into en.ts. */
export const calldiffEn = {
  "calldiff.open": "View changes",
  "calldiff.openLabel": "View the files this call changed",
  "calldiff.file": "Changed file",
  "calldiff.change.added": "added",
  "calldiff.change.modified": "changed",
  "calldiff.change.deleted": "deleted",
  "calldiff.change.type-changed": "type changed",
  "calldiff.omitted.binary": "A binary file: its content is not shown.",
  "calldiff.omitted.too-large": "The file is too large to show here; open it in the editor.",
  "calldiff.omitted.not-a-file": "A symlink or a nested repository: there is no text to compare.",
  "calldiff.none": "This call changed no files.",
  "calldiff.truncated": "The call changed more files than are listed here.",
  "calldiff.activityLabel": "View what the agent changed in {path}",
  "commands.action.saveFile": "Save file",
} as const
