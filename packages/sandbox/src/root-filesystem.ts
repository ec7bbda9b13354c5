import { cpSync, existsSync, lstatSync, mkdirSync, readlinkSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"

/** Top-level system directories that are either merged-/usr symlinks or real directories. */
export const systemDirectories = ["/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"]

/**
 * Files of the host's /etc that programs need (dynamic linker cache, TLS configuration, time zone, name
 * service switch, MIME types). Never /etc wholesale: it holds shadow, ssh keys, the server's own
 * configuration and credentials of other services. These are copied into the sandbox's /etc.
 */
export const etcAllowList = [
  "ld.so.cache",
  "ld.so.conf",
  "ssl/openssl.cnf",
  "localtime",
  "timezone",
  "nsswitch.conf",
  "mime.types",
  "gai.conf",
  "host.conf",
  "protocols",
  "services",
  "bash.bashrc",
  "inputrc",
  "magic",
  "magic.mime",
]

/**
 * Directories of the host's /etc bound read-only over the copy (TLS roots, Debian alternatives for java
 * and friends, Java's configuration): too many entries to copy at every start.
 */
export const etcDirectoryAllowList = ["ssl/certs", "alternatives", "java-17-openjdk", "java-21-openjdk"]

export interface RootFilesystemOptions {
  /** The sandbox's /etc, made by prepareEtc (one read-only bind: bwrap pays per mount, ~0.5 ms each here). */
  etcDir: string
  /** Extra host paths mounted read-only at the same place (toolchains outside /usr, e.g. /opt/go). */
  readOnlyPaths: readonly string[]
}

/** bwrap arguments for the minimal read-only root: /usr, the merged-/usr links, our /etc. */
export function rootFilesystemArguments(options: RootFilesystemOptions): string[] {
  const args = ["--ro-bind", "/usr", "/usr"]
  for (const dir of systemDirectories) {
    let stat: ReturnType<typeof lstatSync>
    try {
      stat = lstatSync(dir)
    } catch {
      continue
    }
    if (stat.isSymbolicLink()) args.push("--symlink", readlinkSync(dir), dir)
    else if (stat.isDirectory()) args.push("--ro-bind", dir, dir)
  }
  args.push("--ro-bind", options.etcDir, "/etc")
  for (const name of etcDirectoryAllowList) {
    const path = join("/etc", name)
    if (existsSync(join(options.etcDir, name)) && existsSync(path)) args.push("--ro-bind", path, path)
  }
  for (const path of options.readOnlyPaths) {
    if (existsSync(path)) args.push("--ro-bind", path, path)
  }
  return args
}

/**
 * Builds the sandbox's /etc in `dir`: copies of the allow-listed host files (symlinks kept as links),
 * mount points for the allow-listed directories, and the generated files. Copied once per
 * provider: a change to the host's /etc (new certificates, ldconfig) shows after a server restart.
 */
export function prepareEtc(dir: string): void {
  mkdirSync(dir, { recursive: true })
  for (const name of etcAllowList) {
    const source = join("/etc", name)
    if (!existsSync(source)) continue
    try {
      mkdirSync(dirname(join(dir, name)), { recursive: true })
      cpSync(source, join(dir, name), { recursive: true, verbatimSymlinks: true, dereference: false })
    } catch {
      // Unreadable or vanished: the sandbox does without it.
    }
  }
  for (const name of etcDirectoryAllowList) {
    if (existsSync(join("/etc", name))) mkdirSync(join(dir, name), { recursive: true }) // mount point
  }
  for (const [name, content] of Object.entries(generatedEtcFiles)) {
    writeFileSync(join(dir, name), content, { mode: 0o644 })
  }
}

/** Contents of the generated /etc files: one sandbox user (uid/gid 1000) and loopback names only. */
export const generatedEtcFiles = {
  passwd:
    "root:x:0:0:root:/nonexistent:/usr/sbin/nologin\nsandbox:x:1000:1000:sandbox:/workspace:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
  group: "root:x:0:\nsandbox:x:1000:\nnogroup:x:65534:\n",
  hosts: "127.0.0.1 localhost sandbox\n::1 localhost ip6-localhost ip6-loopback\n",
  hostname: "sandbox\n",
} as const
