import { existsSync, lstatSync, mkdirSync, readlinkSync, statSync, symlinkSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { etcDirectoryAllowList, prepareEtc, systemDirectories } from "./root-filesystem.ts"
import { workspaceMount } from "./sandbox-request.ts"
import type { SandboxLimits } from "./types.ts"

/**
 * The read-only root every gVisor run starts from, made once per provider in `dir`: the merged-/usr links
 * (or mount points for real directories), our /etc (allow-listed copies and generated files, as for
 * bubblewrap) and empty mount points. Nothing of the host's /etc, /root, /home or data dir is in it.
 */
export function prepareGvisorRoot(dir: string, readOnlyPaths: readonly string[]): void {
  mkdirSync(dir, { recursive: true })
  for (const name of ["usr", "workspace", "tmp", "proc", "dev"]) mkdirSync(join(dir, name))
  for (const path of systemDirectories) {
    let stat: ReturnType<typeof lstatSync>
    try {
      stat = lstatSync(path)
    } catch {
      continue
    }
    if (stat.isSymbolicLink()) symlinkSync(readlinkSync(path), join(dir, path))
    else if (stat.isDirectory()) mkdirSync(join(dir, path))
  }
  prepareEtc(join(dir, "etc"))
  for (const path of readOnlyPaths) {
    if (!existsSync(path) || existsSync(join(dir, path))) continue
    // The root is read-only inside, so every mount point must exist beforehand.
    if (statSync(path).isDirectory()) mkdirSync(join(dir, path), { recursive: true })
    else {
      mkdirSync(dirname(join(dir, path)), { recursive: true })
      writeFileSync(join(dir, path), "")
    }
  }
}

export interface GvisorSpecInput {
  rootDir: string
  workspaceDir: string
  readOnlyPaths: readonly string[]
  limits: SandboxLimits
  cwd: string
  env: Record<string, string>
  command: string[]
  /** The run's stdin is a PTY that becomes the container's console (terminals). */
  terminal: boolean
}

/**
 * The OCI runtime spec (config.json) of one run. The process is uid 0 of gVisor's own kernel with no
 * capabilities: gVisor checks file permissions itself, and uid 1000 could not create directories in a
 * workspace the server owns (measured with runsc 2022-12-19). Limits gVisor applies are rlimits; memory,
 * pids and CPU quota would need runsc's cgroups, which are turned off (--ignore-cgroups).
 */
export function gvisorSpec(input: GvisorSpecInput): object {
  const { limits } = input
  const readOnly = (path: string) => ({
    destination: path,
    type: "bind",
    source: path,
    options: ["rbind", "ro", "nosuid", "nodev"],
  })
  const mounts: object[] = [
    { destination: "/proc", type: "proc", source: "proc" },
    { destination: "/dev", type: "tmpfs", source: "tmpfs" },
    readOnly("/usr"),
  ]
  for (const path of systemDirectories) {
    if (existsSync(join(input.rootDir, path)) && lstatSync(join(input.rootDir, path)).isDirectory())
      mounts.push(readOnly(path))
  }
  for (const name of etcDirectoryAllowList) {
    const path = join("/etc", name)
    if (existsSync(join(input.rootDir, path)) && existsSync(path)) mounts.push(readOnly(path))
  }
  for (const path of input.readOnlyPaths) if (existsSync(path)) mounts.push(readOnly(path))
  mounts.push(
    {
      destination: workspaceMount,
      type: "bind",
      source: input.workspaceDir,
      options: ["rbind", "rw", "nosuid", "nodev"],
    },
    {
      destination: "/tmp",
      type: "tmpfs",
      source: "tmpfs",
      options: ["nosuid", "nodev", "mode=1777", `size=${limits.tmpBytes}`],
    },
  )
  const none = { bounding: [], effective: [], inheritable: [], permitted: [], ambient: [] }
  return {
    ociVersion: "1.0.0",
    process: {
      terminal: input.terminal,
      user: { uid: 0, gid: 0 },
      args: input.command,
      env: Object.entries(input.env).map(([name, value]) => `${name}=${value}`),
      cwd: input.cwd,
      noNewPrivileges: true,
      capabilities: none,
      rlimits: [
        { type: "RLIMIT_CPU", soft: limits.cpuSeconds, hard: limits.cpuSeconds + 1 },
        { type: "RLIMIT_FSIZE", soft: limits.fileBytes, hard: limits.fileBytes },
        { type: "RLIMIT_NOFILE", soft: limits.openFiles, hard: limits.openFiles },
        { type: "RLIMIT_CORE", soft: 0, hard: 0 },
      ],
    },
    root: { path: input.rootDir, readonly: true },
    hostname: "sandbox",
    mounts,
    linux: {
      namespaces: [{ type: "pid" }, { type: "network" }, { type: "ipc" }, { type: "uts" }, { type: "mount" }],
    },
  }
}
