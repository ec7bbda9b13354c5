import { execFile } from "node:child_process"
import { randomBytes } from "node:crypto"
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { AppError, type Logger } from "@xionimus/kit"
import { gvisorCapabilities } from "./capabilities.ts"
import { createConcurrencyGate } from "./concurrency-gate.ts"
import { runProcess } from "./exec-run.ts"
import { findExecutable } from "./find-executable.ts"
import { gvisorSpec, prepareGvisorRoot } from "./gvisor-bundle.ts"
import { defaultLimits, limitsWith } from "./limits.ts"
import { createProjectRegistry, type LaunchBuilder } from "./project-registry.ts"
import { createStateDir } from "./state-dir.ts"
import type { SandboxLimits, SandboxProvider } from "./types.ts"

export interface GvisorProviderOptions {
  logger?: Logger
  /** Defaults and ceilings of every project (a project may set its own, a call only lower ones). */
  limits?: Partial<SandboxLimits>
  /** Runs at once over all projects; the rest wait in a queue. Default 8. */
  maxConcurrent?: number
  /** Runs allowed to wait; past it exec raises SANDBOX_BUSY. Default 1000. */
  maxQueued?: number
  /** Host paths mounted read-only at the same place (toolchains outside /usr, e.g. /opt/go). */
  readOnlyPaths?: readonly string[]
  /** Defaults to runsc on PATH (/usr/bin/runsc). */
  runscPath?: string
  /** gVisor platform; default "ptrace" (the KVM and systrap modes hung with Debian's 2022 build here). */
  platform?: string
  /** Where the provider keeps its root, bundles and runsc state; default the system's temp dir. */
  tempDir?: string
  /** How often the workspace size is checked while a run goes (ms); 0 turns the quota check off. */
  diskCheckIntervalMs?: number
}

/**
 * The gVisor backend: every run is an OCI container started with `runsc run` over a read-only minimal root,
 * the workspace bound read-write at /workspace, a private /tmp and no network. The program's system calls
 * go to gVisor's user-space kernel, not the host's. Each run gets its own bundle and container id; both
 * are deleted when it ends, however it ends. Raises SANDBOX_UNAVAILABLE when runsc is missing or cannot
 * start a container on this machine.
 */
export async function createGvisorProvider(options: GvisorProviderOptions = {}): Promise<SandboxProvider> {
  const logger = options.logger
  const runsc = options.runscPath ?? findExecutable("runsc")
  if (!runsc) {
    throw new AppError(
      "SANDBOX_UNAVAILABLE",
      "gVisor (runsc) is not installed. Install it (apt install runsc) or choose the bubblewrap sandbox backend.",
    )
  }
  const stateDir = createStateDir(options.tempDir ?? tmpdir(), "gvisor")
  const rootDir = join(stateDir, "root")
  const runscRoot = join(stateDir, "runsc")
  const bundles = join(stateDir, "bundles")
  const readOnlyPaths = options.readOnlyPaths ?? []
  try {
    prepareGvisorRoot(rootDir, readOnlyPaths)
    mkdirSync(runscRoot)
    mkdirSync(bundles)
  } catch (error) {
    rmSync(stateDir, { recursive: true, force: true })
    throw error
  }
  const global = [
    `--root=${runscRoot}`,
    `--platform=${options.platform ?? "ptrace"}`,
    "--network=none",
    "--ignore-cgroups",
  ]

  const deleting = new Set<Promise<void>>()
  /**
   * Removes the bundle, and the container where runsc left its state (a killed run). `runsc delete --force`
   * takes about a second after a kill, so it goes on in the background; dispose() waits for it.
   */
  function removeContainer(id: string, bundle: string): Promise<void> {
    if (!readdirSync(runscRoot).some((name) => name.includes(id))) {
      rmSync(bundle, { recursive: true, force: true })
      return Promise.resolve()
    }
    const deletion = new Promise<void>((resolve) => {
      execFile(runsc!, [...global, "delete", "--force", id], { timeout: 15_000 }, (error) => {
        if (error) logger?.warn({ err: error, container: id }, "runsc delete failed")
        rmSync(bundle, { recursive: true, force: true })
        resolve()
      })
    })
    deleting.add(deletion)
    void deletion.finally(() => deleting.delete(deletion))
    return Promise.resolve()
  }

  const launch: LaunchBuilder = (input) => {
    const id = `xionimus-${randomBytes(8).toString("hex")}`
    const bundle = join(bundles, id)
    mkdirSync(bundle)
    const spec = gvisorSpec({
      rootDir,
      workspaceDir: input.workspaceDir,
      readOnlyPaths,
      limits: input.limits,
      cwd: input.cwd,
      env: input.env,
      command: input.command,
      terminal: !input.newSession,
    })
    writeFileSync(join(bundle, "config.json"), JSON.stringify(spec))
    return {
      file: runsc,
      // runsc and its gofer share our process group; the sandbox process (its own session) is started
      // --attached and dies with runsc.
      args: [...global, "run", `--bundle=${bundle}`, id],
      processGroup: true,
      cleanup: () => removeContainer(id, bundle),
    }
  }

  const gate = createConcurrencyGate(options.maxConcurrent ?? 8, options.maxQueued ?? 1000)
  const registry = createProjectRegistry({
    ceiling: limitsWith(defaultLimits, options.limits),
    gate,
    cgroups: null,
    launch,
    run: runProcess,
    diskCheckIntervalMs: options.diskCheckIntervalMs ?? 1000,
    logger,
  })
  const capabilities = gvisorCapabilities()
  try {
    await registry.probe(stateDir)
  } catch (error) {
    gate.close()
    await Promise.all(deleting)
    rmSync(stateDir, { recursive: true, force: true })
    throw error
  }
  for (const warning of capabilities.warnings) logger?.warn({ backend: "gvisor" }, warning)

  let disposed = false
  return {
    capabilities,
    create: (project) => registry.create(project),
    release: (projectId) => registry.release(projectId),
    stats: () => gate.stats(),
    async dispose() {
      if (disposed) return
      disposed = true
      gate.close()
      await registry.dispose()
      await Promise.all(deleting)
      rmSync(stateDir, { recursive: true, force: true })
    },
  }
}
