import { lstat } from "node:fs/promises"
import { join } from "node:path"
import { AppError } from "@xionimus/kit"
import { type CheckpointGitOptions, runGit } from "./checkpoints-git.ts"
import type { CheckpointFileChange } from "./checkpoints-types.ts"

/** One file a checkpoint changed against its parent, with both sides when they are text. */
export interface CheckpointFileContents {
  path: string
  change: CheckpointFileChange["change"]
  /** Lines added and deleted; null for binary files. */
  additions: number | null
  deletions: number | null
  /** Why the contents are not given: binary (or not UTF-8), past the size cap, or a symlink or nested repository. */
  omitted: "binary" | "too-large" | "not-a-file" | null
  /** The text before; null when the file did not exist then, or when omitted. */
  before: string | null
  /** The text after; null when the file no longer exists, or when omitted. */
  after: string | null
}

export interface CheckpointChanges {
  /** The checkpoint before (the parent), or null when `to` is the project's first. */
  from: string | null
  to: string
  files: CheckpointFileContents[]
  /** True when more files changed than `maxFiles`: the list was cut. */
  truncated: boolean
}

export interface CheckpointChangesLimits {
  /** Larger sides are named "too-large", not read. Default 1 MiB. */
  maxFileBytes?: number
  /** Text read in all; files past it are "too-large". Default 8 MiB. */
  maxTotalBytes?: number
  /** Files listed at most. Default 1,000. */
  maxFiles?: number
}

const commitIdPattern = /^[0-9a-f]{40}([0-9a-f]{24})?$/
const emptyTree = {
  40: "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
  64: "6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321",
}
const changeOf: Record<string, CheckpointFileChange["change"]> = {
  A: "added",
  M: "modified",
  D: "deleted",
  T: "type-changed",
}
const regularFile = /^100[0-7]{3}$/

interface RawChange {
  path: string
  change: CheckpointFileChange["change"]
  modes: [string, string]
  blobs: [string, string]
  additions: number | null
  deletions: number | null
}

/**
 * What one checkpoint changed against the checkpoint before it (its parent in the hidden repository),
 * with the text of both sides of every changed text file. Reads objects only (no index, no work tree),
 * so it may run beside the project's `Checkpoints` instance, and needs no workspace. Raises CHECKPOINT_NOT_FOUND.
 */
export async function readCheckpointChanges(
  options: { gitDir: string; gitBinary?: string },
  to: string,
  limits: CheckpointChangesLimits = {},
): Promise<CheckpointChanges> {
  const maxFileBytes = limits.maxFileBytes ?? 1024 * 1024
  const maxTotalBytes = limits.maxTotalBytes ?? 8 * 1024 * 1024
  const maxFiles = limits.maxFiles ?? 1000
  const missing = () =>
    new AppError(
      "CHECKPOINT_NOT_FOUND",
      `There is no checkpoint ${String(to).slice(0, 80)} for this project.`,
      {
        id: to,
      },
    )
  if (typeof to !== "string" || !commitIdPattern.test(to)) throw missing()
  const initialised = await lstat(join(options.gitDir, "HEAD")).then(
    () => true,
    () => false,
  )
  if (!initialised) throw missing()
  const git: CheckpointGitOptions = {
    gitBinary: options.gitBinary ?? "git",
    gitDir: options.gitDir,
    // No work tree is read: the hidden repository is the working directory too.
    workspace: options.gitDir,
  }
  const read = (args: string[], input: { stdin?: string; allowedExitCodes?: number[] } = {}) =>
    runGit(git, args, { ...input, withoutWorkTree: true })

  const shown = await read(["show", "-s", "--format=%P", `${to}^{commit}`, "--"], {
    allowedExitCodes: [0, 128],
  })
  if (shown.exitCode !== 0) throw missing()
  const from = shown.stdout.toString("utf8").trim().split(" ")[0] || null
  const base = from ?? emptyTree[to.length as 40 | 64]
  const listing = [
    "diff",
    "--no-ext-diff",
    "--no-textconv",
    "--no-renames",
    "--no-color",
    "--no-abbrev",
    "--raw",
    "--numstat",
    "-z",
  ]
  const raw = await read([...listing, base, to, "--"])
  const all = parseRaw(raw.stdout.toString("utf8"))
  const listed = all.slice(0, maxFiles)

  const blobs = [...new Set(listed.flatMap((file) => file.blobs.filter((blob) => !/^0+$/.test(blob))))]
  const sizes = await blobSizes(read, blobs)
  let budget = maxTotalBytes
  const wanted = new Set<string>()
  const omittedOf = new Map<string, CheckpointFileContents["omitted"]>()
  for (const file of listed) {
    const present = [0, 1].filter((side) => !/^0+$/.test(file.blobs[side]!))
    if (present.some((side) => !regularFile.test(file.modes[side]!))) omittedOf.set(file.path, "not-a-file")
    else if (file.additions === null) omittedOf.set(file.path, "binary")
    else {
      const bytes = present.map((side) => sizes.get(file.blobs[side]!) ?? Number.POSITIVE_INFINITY)
      const total = bytes.reduce((sum, size) => sum + size, 0)
      if (bytes.some((size) => size > maxFileBytes) || total > budget) omittedOf.set(file.path, "too-large")
      else {
        budget -= total
        for (const side of present) wanted.add(file.blobs[side]!)
      }
    }
  }
  const texts = await blobTexts(read, [...wanted])
  const files = listed.map((file): CheckpointFileContents => {
    const sideText = (side: 0 | 1) => (/^0+$/.test(file.blobs[side]) ? null : texts.get(file.blobs[side]))
    let omitted = omittedOf.get(file.path) ?? null
    let before = omitted ? null : sideText(0)
    let after = omitted ? null : sideText(1)
    // Not UTF-8 (git saw no NUL, but it is no text either): binary for the reader.
    if (before === undefined || after === undefined) {
      omitted = "binary"
      before = null
      after = null
    }
    return {
      path: file.path,
      change: file.change,
      additions: file.additions,
      deletions: file.deletions,
      omitted,
      before,
      after,
    }
  })
  return { from, to, files, truncated: all.length > listed.length }
}

type Read = (args: string[], input?: { stdin?: string }) => ReturnType<typeof runGit>

/** `git cat-file --batch-check`: the size of each blob. */
async function blobSizes(read: Read, blobs: string[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>()
  if (blobs.length === 0) return sizes
  const output = await read(["cat-file", "--batch-check"], { stdin: `${blobs.join("\n")}\n` })
  for (const line of output.stdout.toString("utf8").split("\n")) {
    const [id, type, size] = line.split(" ")
    if (id && type === "blob" && size) sizes.set(id, Number(size))
  }
  return sizes
}

/** `git cat-file --batch`: each blob's content, decoded as UTF-8; undefined when it is not UTF-8. */
async function blobTexts(read: Read, blobs: string[]): Promise<Map<string, string | undefined>> {
  const texts = new Map<string, string | undefined>()
  if (blobs.length === 0) return texts
  const output = (await read(["cat-file", "--batch"], { stdin: `${blobs.join("\n")}\n` })).stdout
  const decoder = new TextDecoder("utf-8", { fatal: true })
  let offset = 0
  while (offset < output.length) {
    const end = output.indexOf(0x0a, offset)
    if (end < 0) break
    const [id, type, size] = output.subarray(offset, end).toString("utf8").split(" ")
    offset = end + 1
    if (type !== "blob" || !id || size === undefined) continue
    const length = Number(size)
    const content = output.subarray(offset, offset + length)
    offset += length + 1
    try {
      texts.set(id, decoder.decode(content))
    } catch {
      texts.set(id, undefined)
    }
  }
  return texts
}

/**
 * Parses `git diff --raw --numstat -z`: raw records (`:<mode> <mode> <blob> <blob> <status>\0<path>\0`)
 * first, then numstat records (`<added>\t<deleted>\t<path>\0`, "-" for binary).
 */
function parseRaw(output: string): RawChange[] {
  const fields = output.split("\0")
  const changes = new Map<string, RawChange>()
  let index = 0
  while (index < fields.length) {
    const field = fields[index]!
    if (field.startsWith(":")) {
      const [modeBefore = "", modeAfter = "", blobBefore = "", blobAfter = "", status = "M"] = field
        .slice(1)
        .trim()
        .split(" ")
      const path = fields[index + 1] ?? ""
      changes.set(path, {
        path,
        change: changeOf[status.charAt(0)] ?? "modified",
        modes: [modeBefore, modeAfter],
        blobs: [blobBefore, blobAfter],
        additions: null,
        deletions: null,
      })
      index += 2
      continue
    }
    const numstat = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec(field)
    const change = numstat ? changes.get(numstat[3]!) : undefined
    if (numstat && change && numstat[1] !== "-") {
      change.additions = Number(numstat[1])
      change.deletions = Number(numstat[2])
    }
    index += 1
  }
  return [...changes.values()]
}
