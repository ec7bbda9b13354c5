import type { Disposer } from "@xionimus/kit"

/** The limit that ended a run (or was hit during it), named in ExecResult.limit. */
export type LimitName = "timeout" | "cpu" | "memory" | "pids" | "output" | "disk"

/** Resource limits of one run. Every field is optional in requests; the provider fills defaults. */
export interface SandboxLimits {
  /** Wall-clock time before the whole process tree is killed with SIGKILL (ms). */
  timeoutMs: number
  /** CPU time (RLIMIT_CPU, seconds) of each process. */
  cpuSeconds: number
  /** Memory of the run's process tree (memory cgroup, bytes). */
  memoryBytes: number
  /** Processes and threads of the run (pids cgroup). */
  pids: number
  /** Share of one CPU core the run may use (cpu cgroup quota), e.g. 1 = one full core. */
  cpuCores: number
  /** stdout and stderr together; past it the run is killed and a truncation marker appended (bytes). */
  outputBytes: number
  /** Largest single file a process may write (RLIMIT_FSIZE, bytes). */
  fileBytes: number
  /** Open files per process (RLIMIT_NOFILE). */
  openFiles: number
  /** Size of the private /tmp (tmpfs, bytes). */
  tmpBytes: number
  /** Total size of the workspace; checked while the run goes and after it (bytes). */
  diskBytes: number
}

export type ExecCommand =
  | { argv: readonly [string, ...string[]] }
  /** Run with /bin/sh -c inside the sandbox. */
  | { shell: string }

export interface ExecRequest {
  command: ExecCommand
  /** Working directory: "/workspace" or a path below it (absolute inside the sandbox, or relative to /workspace). */
  cwd?: string
  /** Added to the sandbox's minimal environment (PATH, HOME, LANG, TERM). */
  env?: Readonly<Record<string, string>>
  /** Written to the run's stdin, which is then closed. Without it stdin is empty. */
  stdin?: string | Uint8Array
  limits?: Partial<SandboxLimits>
  /** Aborting kills the run; the result then has `aborted: true`. */
  signal?: AbortSignal
  /**
   * Called with every chunk in the order it was read (stdout and stderr interleaved). The two streams are
   * separate pipes: writes close together may be read in another order than they were made.
   */
  onOutput?: (chunk: OutputChunk) => void
}

export interface OutputChunk {
  stream: "stdout" | "stderr"
  /** Zero-based, gap-free per run across both streams. */
  seq: number
  data: Buffer
}

export interface ResourceUsage {
  wallMs: number
  /** CPU time of the whole tree (user + system, ms); null where not measured. */
  cpuMs: number | null
  /** Peak memory of the tree (bytes); null where not measured. */
  peakMemoryBytes: number | null
  stdoutBytes: number
  stderrBytes: number
}

export interface ExecResult {
  /** The exit code of the command; null when it was killed by a signal. */
  exitCode: number | null
  /** The signal that ended it, e.g. "SIGKILL". */
  signal: string | null
  /** The limit that ended the run, or null when it ended by itself. */
  limit: LimitName | null
  /** True when the caller's AbortSignal ended it. */
  aborted: boolean
  /** True when output past limits.outputBytes was dropped (a marker line says so). */
  truncated: boolean
  usage: ResourceUsage
  /** The limits the run had (defaults filled in). */
  limits: SandboxLimits
}

export interface TerminalOptions {
  /** Defaults to ["/bin/bash", "-i"] when bash exists, else /bin/sh. */
  argv?: readonly [string, ...string[]]
  cols?: number
  rows?: number
  cwd?: string
  env?: Readonly<Record<string, string>>
  limits?: Partial<SandboxLimits>
}

/** An interactive PTY inside the sandbox. */
export interface TerminalSession {
  readonly id: string
  /** Keystrokes or pasted text. */
  write(data: string): void
  resize(cols: number, rows: number): void
  /** Output of the terminal; returns a disposer that unsubscribes. */
  onData(listener: (data: string) => void): Disposer
  /**
   * Resolves when the shell ended (or was killed by close or a limit), with the CPU time of everything it
   * ran (null where the backend cannot measure it: no cgroups).
   */
  readonly exited: Promise<{ exitCode: number | null; limit: LimitName | null; cpuMs: number | null }>
  /** Kills the session's process tree. */
  close(): Promise<void>
}

/**
 * The restricted handle that tools and routes receive: run things, open terminals. It cannot change the
 * sandbox's mounts, widen its limits past the project's or dispose it.
 */
export interface Sandbox {
  readonly projectId: string
  /** Runs one command to its end; resolves (never rejects) once a limit, abort or exit ended it. */
  exec(request: ExecRequest): Promise<ExecResult>
  /** Like exec, as an async iterator of chunks followed by the result. */
  stream(request: Omit<ExecRequest, "onOutput">): AsyncIterable<OutputChunk | { result: ExecResult }>
  /** Opens an interactive terminal. Raises SANDBOX_TERMINAL_UNAVAILABLE when no PTY can be made. */
  openTerminal(options?: TerminalOptions): Promise<TerminalSession>
}

/** One isolation boundary the backend puts in place, and whether it holds on this machine. */
export interface LimitSupport {
  name: keyof SandboxLimits
  enforced: boolean
  /** How it is enforced, or why not. */
  how: string
}

export interface SandboxCapabilities {
  backend: "bubblewrap" | "gvisor" | "none"
  /** False for the `none` backend: commands run on the host as the server's user. */
  isolated: boolean
  /** "v1", "v2" or null when cgroups cannot be used. */
  cgroups: "v1" | "v2" | null
  seccomp: boolean
  network: "none" | "allow-list" | "host"
  limits: LimitSupport[]
  /** Human-readable warnings (unenforced limits, development backend), shown at start and in doctor. */
  warnings: string[]
}

export interface SandboxProjectOptions {
  /** Stable id of the project (names its cgroup). */
  projectId: string
  /** Host path of the project's workspace; mounted read-write at /workspace. */
  workspaceDir: string
  /** The project's own ceilings and defaults; a call may lower them, never raise them. */
  limits?: Partial<SandboxLimits>
  /**
   * Network for the project's runs: off by default. With an allow-list (host names, `*.example.com`, IP
   * literals) runs reach those hosts through an HTTP(S) proxy (HTTP_PROXY/HTTPS_PROXY are set); everything
   * else is refused and logged. Raises SANDBOX_UNAVAILABLE where the backend cannot offer it.
   */
  network?: { allow: readonly string[] }
}

/** Owns sandboxes: creates them per project workspace and releases every resource they hold. */
export interface SandboxProvider {
  /** What this backend enforces on this machine. */
  readonly capabilities: SandboxCapabilities
  /** A sandbox for one project; calling it again for the same project returns the same handle. */
  create(options: SandboxProjectOptions): Promise<Sandbox>
  /** Kills the project's runs and terminals and releases its cgroups. */
  release(projectId: string): Promise<void>
  /** Runs in progress and waiting in the queue. */
  stats(): { running: number; queued: number }
  /** Kills everything, removes cgroups and temporary files. Calling it twice is harmless. */
  dispose(): Promise<void>
}
