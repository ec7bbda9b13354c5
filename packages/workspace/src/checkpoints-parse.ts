import type { CheckpointFileChange } from "./checkpoints-types.ts"

const changeOf: Record<string, CheckpointFileChange["change"]> = {
  A: "added",
  M: "modified",
  D: "deleted",
  T: "type-changed",
}

/**
 * Parses `git diff --raw --numstat -z`: first one raw record per file
 * (`:<mode> <mode> <sha> <sha> <status>\0<path>\0`), then one numstat record per file
 * (`<added>\t<deleted>\t<path>\0`, "-" for binary).
 */
export function parseChanges(output: string): CheckpointFileChange[] {
  const fields = output.split("\0")
  const changes = new Map<string, CheckpointFileChange>()
  let index = 0
  while (index < fields.length) {
    const field = fields[index]!
    if (field.startsWith(":")) {
      const status = field.trim().split(" ").at(-1)?.charAt(0) ?? "M"
      const path = fields[index + 1] ?? ""
      changes.set(path, { path, change: changeOf[status] ?? "modified", additions: null, deletions: null })
      index += 2
      continue
    }
    const numstat = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec(field)
    if (numstat) {
      const path = numstat[3]!
      const change = changes.get(path)
      if (change && numstat[1] !== "-") {
        change.additions = Number(numstat[1])
        change.deletions = Number(numstat[2])
      }
    }
    index += 1
  }
  return [...changes.values()]
}
