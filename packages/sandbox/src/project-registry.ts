import { mkdirSync, realpathSync, rmSync, statSync } from "node:fs"
import { join } from "node:path"
import { AppError, type Logger } from "@xionimus/kit"
import type { Cgroups } from "./cgroups.ts"
import type { ConcurrencyGate } from "./concurrency-gate.ts"
import type { LaunchPlan, RunOptions } from "./exec-run.ts"
import { execAsStream } from "./exec-stream.ts"
import { limitsWith, resolveLimits } from "./limits.ts"
import { commandArgv, sandboxCwd, sandboxEnvironment } from "./sandbox-request.ts"
import { openTerminalSession } from "./terminal-session.ts"
import type {
  ExecRequest,
  ExecResult,
  Sandbox,
  SandboxLimits,
  SandboxProjectOptions,
  TerminalOptions,
  TerminalSession,
} from "./types.ts"

export interface LaunchInput {
  workspaceDir: string
  limits: SandboxLimits
  cwd: string
  env: Record<string, string>
  command: string[]
  newSession: boolean
  /** cgroup.procs files of the run's slot (empty without cgroups). */
  procsFiles: readonly string[]
  /** Host path of the project's egress proxy socket, or null when the project has no network. */
  egressSocket: string | null
}

export type LaunchBuilder = (input: LaunchInput) => LaunchPlan

export interface ProjectRegistryDeps {
  ceiling: SandboxLimits
  gate: ConcurrencyGate
  cgroups: Cgroups | null
  launch: LaunchBuilder
  run: (options: RunOptions) => Promise<ExecResult>
  diskCheckIntervalMs: number
  logger?: Logger | undefined
  /** Opens the project's egress proxy (allow-listed network); absent where the backend has none. */
  openEgress?: (
    projectId: string,
    allow: readonly string[],
  ) => Promise<{ socketPath: string; close(): Promise<void> }>
  /** Called once a slot's run ended and the slot was swept (the bwrap backend starts its next launcher). */
  afterRun?: (procsFiles: readonly string[]) => void
}

interface ProjectState {
  sandbox: Sandbox
  egress: { socketPath: string; close(): Promise<void> } | null
  workspaceDir: string
  kills: Set<() => void>
  terminals: Set<TerminalSession>
  released: boolean
}

/** Sandboxes by project, sharing one concurrency gate and one cgroup tree; used by the bwrap and none backends. */
export function createProjectRegistry(deps: ProjectRegistryDeps) {
  const projects = new Map<string, ProjectState>()

  function sandboxFor(projectId: string, workspaceDir: string, ceiling: SandboxLimits): ProjectState {
    const state: ProjectState = {
      egress: null,
      workspaceDir,
      kills: new Set(),
      terminals: new Set(),
      released: false,
      sandbox: undefined as unknown as Sandbox,
    }
    const assertOpen = () => {
      if (state.released) {
        throw new AppError("SANDBOX_CLOSED", "This project's sandbox was released. Create it again.", {
          projectId,
        })
      }
    }

    async function exec(request: ExecRequest): Promise<ExecResult> {
      assertOpen()
      const limits = resolveLimits(ceiling, request.limits)
      const cwd = sandboxCwd(request.cwd)
      const env = sandboxEnvironment(request.env)
      const command = commandArgv(request.command)
      let release: () => void
      try {
        release = await deps.gate.acquire(request.signal)
      } catch (error) {
        if (request.signal?.aborted) return abortedResult(limits)
        throw error
      }
      const slot = deps.cgroups?.acquire(projectId) ?? null
      try {
        assertOpen()
        slot?.prepare(limits)
        const plan = deps.launch({
          workspaceDir,
          limits,
          cwd,
          env,
          command,
          newSession: true,
          procsFiles: slot?.procsFiles ?? [],
          egressSocket: state.egress?.socketPath ?? null,
        })
        return await deps.run({
          plan,
          request,
          limits,
          slot,
          workspaceDir,
          diskCheckIntervalMs: deps.diskCheckIntervalMs,
          register: (kill) => {
            state.kills.add(kill)
            return () => state.kills.delete(kill)
          },
        })
      } finally {
        if (slot) {
          deps.cgroups?.release(slot)
          if (!state.released) deps.afterRun?.(slot.procsFiles)
        }
        release()
      }
    }

    async function openTerminal(options: TerminalOptions = {}): Promise<TerminalSession> {
      assertOpen()
      const limits = resolveLimits(ceiling, { timeoutMs: 30 * 60_000, ...options.limits })
      const release = await deps.gate.acquire()
      const slot = deps.cgroups?.acquire(projectId) ?? null
      try {
        slot?.prepare(limits)
        const plan = deps.launch({
          workspaceDir,
          limits,
          cwd: sandboxCwd(options.cwd),
          env: sandboxEnvironment(options.env),
          command: options.argv ? [...options.argv] : ["/bin/bash", "-i"],
          newSession: false,
          procsFiles: slot?.procsFiles ?? [],
          egressSocket: state.egress?.socketPath ?? null,
        })
        const session = await openTerminalSession({
          plan,
          limits,
          slot,
          cols: options.cols,
          rows: options.rows,
        })
        state.terminals.add(session)
        void session.exited.finally(() => {
          state.terminals.delete(session)
          if (slot) {
            deps.cgroups?.release(slot)
            if (!state.released) deps.afterRun?.(slot.procsFiles)
          }
          release()
        })
        return session
      } catch (error) {
        if (slot) deps.cgroups?.release(slot)
        release()
        throw error
      }
    }

    state.sandbox = {
      projectId,
      exec,
      stream: (request) => execAsStream(exec, request),
      openTerminal,
    }
    return state
  }

  async function release(projectId: string): Promise<void> {
    const state = projects.get(projectId)
    if (!state) return
    projects.delete(projectId)
    state.released = true
    for (const kill of state.kills) kill()
    await Promise.all([...state.terminals].map((terminal) => terminal.close()))
    // Runs end within moments of their SIGKILL; their slots must be empty before the cgroup can go.
    for (let attempt = 0; attempt < 100 && state.kills.size > 0; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    await deps.cgroups?.removeProject(projectId)
    await state.egress?.close()
  }

  return {
    async create(options: SandboxProjectOptions): Promise<Sandbox> {
      const existing = projects.get(options.projectId)
      if (existing) return existing.sandbox
      const workspaceDir = realWorkspace(options.workspaceDir)
      const ceiling = limitsWith(deps.ceiling, options.limits)
      const state = sandboxFor(options.projectId, workspaceDir, ceiling)
      const allow = options.network?.allow ?? []
      if (allow.length > 0) {
        if (!deps.openEgress) {
          throw new AppError(
            "SANDBOX_UNAVAILABLE",
            "This sandbox backend cannot offer an allow-listed network. Remove the project's network setting.",
            { projectId: options.projectId },
          )
        }
        projects.set(options.projectId, state)
        try {
          state.egress = await deps.openEgress(options.projectId, allow)
        } catch (error) {
          projects.delete(options.projectId)
          throw error
        }
      }
      projects.set(options.projectId, state)
      return state.sandbox
    },
    release,
    async dispose(): Promise<void> {
      await Promise.all([...projects.keys()].map((projectId) => release(projectId)))
    },
    /** Runs /bin/true once; raises SANDBOX_UNAVAILABLE with the backend's own message when that fails. */
    async probe(scratchDir: string): Promise<void> {
      const dir = join(scratchDir, "probe-workspace")
      mkdirSync(dir, { recursive: true })
      const chunks: Buffer[] = []
      try {
        const sandbox = await this.create({ projectId: "_probe", workspaceDir: dir })
        const result = await sandbox.exec({
          command: { argv: ["/bin/true"] },
          limits: { timeoutMs: 10_000 },
          onOutput: (chunk) => chunks.push(chunk.data),
        })
        if (result.exitCode !== 0) {
          const output = Buffer.concat(chunks).toString("utf8").trim()
          throw new AppError(
            "SANDBOX_UNAVAILABLE",
            `The sandbox cannot start on this machine: ${output || `exit ${result.exitCode ?? result.signal}`}`,
            { output },
          )
        }
      } finally {
        await release("_probe")
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}

function realWorkspace(path: string): string {
  try {
    const real = realpathSync(path)
    if (statSync(real).isDirectory()) return real
  } catch {
    // Reported below.
  }
  throw new AppError(
    "SANDBOX_WORKSPACE_INVALID",
    `The workspace ${path} does not exist or is not a directory. Create the project's workspace first.`,
    { path },
  )
}

function abortedResult(limits: SandboxLimits): ExecResult {
  return {
    exitCode: null,
    signal: null,
    limit: null,
    aborted: true,
    truncated: false,
    usage: { wallMs: 0, cpuMs: null, peakMemoryBytes: null, stdoutBytes: 0, stderrBytes: 0 },
    limits,
  }
}
