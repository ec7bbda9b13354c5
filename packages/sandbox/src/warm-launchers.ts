import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process"
import { rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { Readable, Writable } from "node:stream"

/**
 * Waits in the slot's cgroups for its run: joins them (the slow part on cgroup v1: one RCU grace period per
 * hierarchy), says "ready" on fd 3, reads the path of the run's script from fd 3 and sources it. The script
 * sets the rlimits, opens the seccomp program on fd 3 (closing the control socket) and execs bwrap.
 */
const warmScript = [
  'for file in "$@"; do echo $$ > "$file" || exit 125; done',
  "echo ready >&3",
  "read -r script <&3 || exit 125",
  '. "$script"',
].join("\n")

/** Single-quotes a word for /bin/sh. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`
}

/** The script a warm launcher sources: the same rlimits and seccomp fd as the cold launcher, then exec. */
export function runScript(options: {
  rlimits: readonly string[]
  seccompFile: string | null
  argv: readonly string[]
}) {
  const [cpu, blocks, files] = options.rlimits
  return [
    `ulimit -S -t ${cpu} && ulimit -H -t ${Number(cpu) + 1} && ulimit -f ${blocks} && ulimit -n ${files} && ulimit -c 0 || exit 125`,
    options.seccompFile ? `exec 3< ${shellQuote(options.seccompFile)} || exit 125` : "exec 3<&-",
    `exec ${options.argv.map(shellQuote).join(" ")}`,
  ].join("\n")
}

interface Warm {
  child: ChildProcessWithoutNullStreams
  control: Readable & Writable
  /** True once it sits in the slot's cgroups; false when it died first. */
  ready: Promise<boolean>
}

/**
 * One launcher per cgroup slot started ahead of time, so that a run skips the shell start and the cgroup
 * joins. A slot without a ready launcher starts cold. Launchers are started only after a slot's run was
 * swept (they must not sit in a slot while a run owns it), and killed on dispose.
 */
/** An idle launcher costs a shell process (~0.5 MiB); so few wait, and not for long. */
const maxIdle = 32
const idleMs = 60_000

export function createWarmLaunchers(scriptDir: string) {
  const warm = new Map<string, Warm>()
  /** Slots with a run in progress: no launcher may join them until the run was swept. */
  const busy = new Set<string>()
  let counter = 0
  let closed = false

  function drop(key: string, entry: Warm): void {
    if (warm.get(key) === entry) warm.delete(key)
  }

  function start(key: string, procsFiles: readonly string[]): void {
    if (closed || busy.has(key) || warm.has(key) || warm.size >= maxIdle) return
    const child = spawn("/bin/sh", ["-c", warmScript, "xionimus-warm", ...procsFiles], {
      stdio: ["pipe", "pipe", "pipe", "pipe"],
      env: {},
    }) as ChildProcessWithoutNullStreams
    const control = child.stdio[3] as Readable & Writable
    let markReady: () => void = () => undefined
    const entry: Warm = {
      child,
      control,
      ready: new Promise<boolean>((resolve) => {
        markReady = () => resolve(true)
        child.once("exit", () => resolve(false))
        child.once("error", () => resolve(false))
      }),
    }
    warm.set(key, entry)
    const expiry = setTimeout(() => {
      if (warm.get(key) === entry) child.kill("SIGKILL")
    }, idleMs)
    expiry.unref()
    child.on("error", () => drop(key, entry))
    child.on("exit", () => drop(key, entry))
    control.on("error", () => drop(key, entry))
    control.once("data", () => markReady())
    // An idle launcher must not keep the server (or a CLI) alive.
    child.unref()
    for (const stream of [child.stdin, child.stdout, child.stderr, control]) {
      ;(stream as unknown as { unref?: () => void }).unref?.()
    }
  }

  return {
    /** A run is about to use the slot with these cgroup.procs files. */
    claim(procsFiles: readonly string[]): void {
      busy.add(procsFiles.join("\n"))
    },
    /** The slot's run ended and was swept: start its next launcher soon (after the caller got its result). */
    prepare(procsFiles: readonly string[]): void {
      const key = procsFiles.join("\n")
      busy.delete(key)
      if (procsFiles.length > 0) setImmediate(() => start(key, procsFiles))
    },
    /**
     * Hands the slot's launcher the run (argv of bwrap), waiting for it to be ready if it is starting; null
     * when there is none. The child's stdio becomes the run's; its pid is bwrap's once the script execs.
     */
    async take(
      procsFiles: readonly string[],
      script: string,
    ): Promise<ChildProcessWithoutNullStreams | null> {
      const key = procsFiles.join("\n")
      const entry = warm.get(key)
      if (!entry) return null
      warm.delete(key)
      const { child, control } = entry
      // From here on it is a run: it keeps the process alive like any child (waiting for it included).
      child.ref()
      for (const stream of [child.stdin, child.stdout, child.stderr, control]) {
        ;(stream as unknown as { ref?: () => void }).ref?.()
      }
      if (!(await entry.ready) || child.exitCode !== null || child.signalCode !== null) {
        child.kill("SIGKILL")
        return null
      }
      counter += 1
      const path = join(scriptDir, `run-${counter}.sh`)
      writeFileSync(path, script, { mode: 0o600 })
      control.write(`${path}\n`)
      control.end()
      child.once("exit", () => rmSync(path, { force: true }))
      return child
    },
    /** Kills every idle launcher. */
    close(): void {
      closed = true
      for (const entry of warm.values()) entry.child.kill("SIGKILL")
      warm.clear()
    },
  }
}
