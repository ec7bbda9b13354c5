import { createHash, randomBytes } from "node:crypto"
import { existsSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { AppError, type Logger } from "@xionimus/kit"
import { bwrapArguments, launcherScript, rlimitArguments } from "./bwrap-arguments.ts"
import { bwrapCapabilities } from "./capabilities.ts"
import { sweepStaleCgroups } from "./cgroup-tree.ts"
import { type Cgroups, detectCgroups } from "./cgroups.ts"
import { createCgroupsV1 } from "./cgroups-v1.ts"
import { createCgroupsV2 } from "./cgroups-v2.ts"
import { createConcurrencyGate } from "./concurrency-gate.ts"
import { bridgeProgram, createEgressProxy } from "./egress-proxy.ts"
import { runProcess } from "./exec-run.ts"
import { findExecutable } from "./find-executable.ts"
import { defaultLimits, limitsWith } from "./limits.ts"
import { createProjectRegistry, type LaunchBuilder } from "./project-registry.ts"
import { prepareEtc } from "./root-filesystem.ts"
import { buildSeccompFilter, hostArchitecture } from "./seccomp-filter.ts"
import { createStateDir } from "./state-dir.ts"
import type { SandboxLimits, SandboxProvider } from "./types.ts"
import { createWarmLaunchers, runScript } from "./warm-launchers.ts"

export interface BubblewrapProviderOptions {
  logger?: Logger
  /** Defaults and ceilings of every project (a project may set its own, a call only lower ones). */
  limits?: Partial<SandboxLimits>
  /** Runs at once over all projects; the rest wait in a queue. Default 8. */
  maxConcurrent?: number
  /** Runs allowed to wait; past it exec raises SANDBOX_BUSY. Default 1000. */
  maxQueued?: number
  /** Host paths mounted read-only at the same place (toolchains outside /usr, e.g. /opt/go). */
  readOnlyPaths?: readonly string[]
  /** Defaults to bwrap on PATH (/usr/bin/bwrap). */
  bwrapPath?: string
  /** false: run without cgroups even where they work (capabilities then list the unenforced limits). */
  cgroups?: boolean
  /** Name of our directory in each cgroup hierarchy; default "xionimus". */
  cgroupName?: string
  /** Where the provider keeps its generated /etc and seccomp program; default the system's temp dir. */
  tempDir?: string
  /**
   * Start each cgroup slot's next launcher as soon as its run ended, so that the next run skips the shell
   * start and the cgroup joins (default true).
   */
  prewarm?: boolean
  /** How often the workspace size is checked while a run goes (ms); 0 turns the quota check off. */
  diskCheckIntervalMs?: number
}

/**
 * The default backend: bubblewrap namespaces + our seccomp filter + cgroups (v2 or v1) + rlimits.
 * Raises SANDBOX_UNAVAILABLE when bwrap is missing or cannot start a sandbox on this machine.
 */
export async function createBubblewrapProvider(
  options: BubblewrapProviderOptions = {},
): Promise<SandboxProvider> {
  const logger = options.logger
  const bwrap = options.bwrapPath ?? findExecutable("bwrap")
  if (!bwrap) {
    throw new AppError(
      "SANDBOX_UNAVAILABLE",
      "bubblewrap (bwrap) is not installed. Install it (apt install bubblewrap) or choose another sandbox backend.",
    )
  }
  const stateDir = createStateDir(options.tempDir ?? tmpdir(), "sandbox")
  const etcDir = join(stateDir, "etc")
  const architecture = hostArchitecture()
  const seccompFile = architecture ? join(stateDir, "seccomp.bpf") : null
  let cgroups: Cgroups | null = null
  try {
    prepareEtc(etcDir)
    if (seccompFile && architecture)
      writeFileSync(seccompFile, buildSeccompFilter(architecture), { mode: 0o600 })
    cgroups = options.cgroups === false ? null : openCgroups(options.cgroupName ?? "xionimus", logger)
  } catch (error) {
    rmSync(stateDir, { recursive: true, force: true })
    throw error
  }

  const ceiling = limitsWith(defaultLimits, options.limits)
  const capabilities = bwrapCapabilities({
    cgroups: cgroups?.version ?? null,
    seccomp: seccompFile !== null,
    // The in-sandbox end of the egress proxy is a small Python program.
    allowListNetwork: existsSync(pythonPath),
  })
  for (const warning of capabilities.warnings) logger?.warn({ backend: "bubblewrap" }, warning)
  const gate = createConcurrencyGate(options.maxConcurrent ?? 8, options.maxQueued ?? 1000)

  const warm = createWarmLaunchers(stateDir)
  const launch: LaunchBuilder = (input) => {
    const { workspaceDir, limits, cwd, procsFiles, egressSocket } = input
    warm.claim(procsFiles)
    const rlimits = rlimitArguments(limits)
    const network = egressSocket ? withEgress(input.env, input.command) : null
    const argv = [
      bwrap,
      ...bwrapArguments({
        workspaceDir,
        etcDir,
        readOnlyPaths: options.readOnlyPaths ?? [],
        limits,
        cwd,
        env: network?.env ?? input.env,
        seccompFd: seccompFile ? 3 : null,
        newSession: input.newSession,
        ...(egressSocket ? { binds: [[egressSocket, egressMount]] as const } : {}),
      }),
      "--",
      ...(network?.command ?? input.command),
    ]
    return {
      file: "/bin/sh",
      args: [
        "-c",
        launcherScript,
        "xionimus-launcher",
        seccompFile ?? "",
        ...rlimits,
        String(procsFiles.length),
        ...procsFiles,
        ...argv,
      ],
      ...(options.prewarm === false
        ? {}
        : { warm: () => warm.take(procsFiles, runScript({ rlimits, seccompFile, argv })) }),
    }
  }

  const registry = createProjectRegistry({
    ceiling,
    gate,
    cgroups,
    launch,
    run: runProcess,
    diskCheckIntervalMs: options.diskCheckIntervalMs ?? 1000,
    logger,
    ...(options.prewarm === false ? {} : { afterRun: (procsFiles) => warm.prepare(procsFiles) }),
    ...(capabilities.network === "allow-list"
      ? {
          openEgress: (projectId, allow) =>
            createEgressProxy({
              socketPath: join(
                stateDir,
                `egress-${createHash("sha256").update(projectId).digest("hex").slice(0, 16)}.sock`,
              ),
              allow,
              projectId,
              logger,
            }),
        }
      : {}),
  })

  // Fail now, with bwrap's own words, rather than on the first user's run.
  await registry.probe(stateDir)

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
      warm.close()
      await registry.dispose()
      await cgroups?.dispose()
      rmSync(stateDir, { recursive: true, force: true })
    },
  }
}

function openCgroups(name: string, logger: Logger | undefined): Cgroups | null {
  const detected = detectCgroups()
  if (!detected) return null
  const instance = `${name}/p${process.pid}-${randomBytes(4).toString("hex")}`
  try {
    sweepStaleCgroups(Object.values(detected.mounts), name)
    const cgroups =
      detected.version === "v2"
        ? createCgroupsV2(detected.mounts.unified!, instance)
        : createCgroupsV1(detected.mounts, instance)
    // Make one slot now: a permission problem shows here, not on the first run.
    const slot = cgroups.acquire("_probe")
    cgroups.release(slot)
    return cgroups
  } catch (error) {
    logger?.warn({ err: error }, "cgroups are present but not writable; memory, pids and CPU limits are off")
    return null
  }
}

const pythonPath = "/usr/bin/python3"
const egressMount = "/run/xionimus/egress.sock"
const proxyUrl = "http://127.0.0.1:3128"

/** A run of a project with network: proxy variables set, the command started behind the bridge. */
function withEgress(
  env: Record<string, string>,
  command: string[],
): { env: Record<string, string>; command: string[] } {
  return {
    // The caller's variables win (a test may proxy loopback addresses by clearing NO_PROXY).
    env: {
      HTTP_PROXY: proxyUrl,
      HTTPS_PROXY: proxyUrl,
      http_proxy: proxyUrl,
      https_proxy: proxyUrl,
      NO_PROXY: "localhost,127.0.0.1",
      no_proxy: "localhost,127.0.0.1",
      ...env,
    },
    command: [pythonPath, "-c", bridgeProgram, ...command],
  }
}
