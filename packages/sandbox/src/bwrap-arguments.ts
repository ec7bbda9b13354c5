import { rootFilesystemArguments } from "./root-filesystem.ts"
import type { SandboxLimits } from "./types.ts"

export interface BwrapOptions {
  workspaceDir: string
  etcDir: string
  readOnlyPaths: readonly string[]
  limits: SandboxLimits
  /** Absolute path inside the sandbox. */
  cwd: string
  env: Readonly<Record<string, string>>
  /** The fd the launcher opened the seccomp program on, or null to run without a filter. */
  seccompFd: number | null
  /**
   * setsid() so that the program has no controlling terminal (TIOCSTI into the server's terminal). Off for
   * terminal sessions, which need their own PTY as controlling terminal for job control.
   */
  newSession: boolean
  /** Extra bind mounts [host, sandbox] (the egress proxy's socket). */
  binds?: readonly (readonly [string, string])[]
}

export const sandboxUid = 1000

/**
 * The bwrap command line (without the program): every namespace new (user, pid, net, ipc, uts, mount,
 * cgroup), no nested user namespaces, all capabilities dropped, uid 1000 inside, a cleared environment,
 * the read-only root, the workspace read-write at /workspace, a size-capped /tmp, own /proc, minimal /dev.
 */
export function bwrapArguments(options: BwrapOptions): string[] {
  const args = [
    "--unshare-all",
    "--unshare-user",
    "--disable-userns",
    "--die-with-parent",
    "--cap-drop",
    "ALL",
    "--uid",
    String(sandboxUid),
    "--gid",
    String(sandboxUid),
    "--hostname",
    "sandbox",
    "--clearenv",
  ]
  if (options.newSession) args.push("--new-session")
  args.push(...rootFilesystemArguments(options))
  args.push("--proc", "/proc", "--dev", "/dev")
  args.push("--perms", "1777", "--size", String(options.limits.tmpBytes), "--tmpfs", "/tmp")
  args.push("--bind", options.workspaceDir, "/workspace")
  for (const [host, inside] of options.binds ?? []) args.push("--bind", host, inside)
  // The root itself is bwrap's tmpfs: read-only, or it would be an uncapped scratch space.
  args.push("--remount-ro", "/")
  args.push("--chdir", options.cwd)
  for (const [name, value] of Object.entries(options.env)) args.push("--setenv", name, value)
  if (options.seccompFd !== null) args.push("--seccomp", String(options.seccompFd))
  return args
}

/**
 * The launcher's rlimit arguments: CPU seconds (soft; the hard limit one second later so the program sees
 * SIGXCPU first), file size in 512-byte blocks (POSIX `ulimit -f`), open files. Core dumps are always off.
 */
export function rlimitArguments(limits: SandboxLimits): string[] {
  return [String(limits.cpuSeconds), String(Math.ceil(limits.fileBytes / 512)), String(limits.openFiles)]
}

/**
 * The launcher, run by /bin/sh: sets the rlimits with the shell's own ulimit (no extra exec), joins the
 * run's cgroups by writing its own pid (so bwrap and everything it starts is counted from the first
 * instruction), opens the seccomp program on fd 3, then execs bwrap. Arguments: <seccomp file or "">
 * <cpu seconds> <file blocks> <open files> <count> <cgroup.procs files...> <command...>.
 * Fails closed: when a limit cannot be set or a cgroup cannot be joined nothing runs (exit 125).
 */
export const launcherScript = [
  'bpf="$1"; cpu="$2"; blocks="$3"; files="$4"; count="$5"; shift 5',
  'ulimit -S -t "$cpu" && ulimit -H -t $((cpu + 1)) && ulimit -f "$blocks" && ulimit -n "$files" && ulimit -c 0 || exit 125',
  'while [ "$count" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; count=$((count - 1)); done',
  'if [ -n "$bpf" ]; then exec 3< "$bpf" || exit 125; fi',
  'exec "$@"',
].join("\n")

export const launcherExitCode = 125
