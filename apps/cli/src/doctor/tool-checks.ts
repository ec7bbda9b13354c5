import type { Env } from "@xionimus/config"
import type { CheckResult } from "./check-result.ts"
import { firstLine, runProgram } from "./run-program.ts"

/** Node >= 22.12 works; 24 is the one Xionimus is built and tested on. */
export function checkNode(version = process.versions.node): CheckResult {
  const [major = 0, minor = 0] = version.split(".").map(Number)
  const base = { name: "Node.js", required: true, detail: `${version} (${process.execPath})` }
  if (major < 22 || (major === 22 && minor < 12)) {
    const fix = "run `npm install` at the repository root (it brings Node 24), or install Node 24"
    return { ...base, status: "fail", fix }
  }
  if (major < 24) return { ...base, status: "warn", fix: "works; Node 24 is recommended" }
  return { ...base, status: "ok" }
}

export async function checkGit(env: Env): Promise<CheckResult> {
  const result = await runProgram("git", ["--version"], env)
  return result.ok
    ? { name: "git", status: "ok", required: true, detail: firstLine(result.stdout) }
    : { name: "git", status: "fail", required: true, detail: result.reason, fix: "apt-get install -y git" }
}

export async function checkBubblewrap(env: Env): Promise<CheckResult> {
  const name = "bubblewrap"
  const version = await runProgram("bwrap", ["--version"], env)
  if (!version.ok)
    return {
      name,
      status: "fail",
      required: true,
      detail: version.reason,
      fix: "apt-get install -y bubblewrap",
    }
  // A version banner is not enough: containers and hardened kernels often forbid the namespaces.
  const run = await runProgram(
    "bwrap",
    ["--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "true"],
    env,
  )
  if (run.ok)
    return { name, status: "ok", required: true, detail: `${firstLine(version.stdout)}, sandbox runs` }
  return {
    name,
    status: "fail",
    required: true,
    detail: `${firstLine(version.stdout)} is installed but cannot create a sandbox: ${run.reason}`,
    fix:
      "allow unprivileged user namespaces (sysctl -w kernel.unprivileged_userns_clone=1; on Ubuntu also " +
      "kernel.apparmor_restrict_unprivileged_userns=0), or run the container with --privileged or a seccomp " +
      "profile that permits unshare/clone of namespaces",
  }
}

export async function checkRipgrep(env: Env): Promise<CheckResult> {
  const result = await runProgram("rg", ["--version"], env)
  return result.ok
    ? { name: "ripgrep", status: "ok", required: true, detail: firstLine(result.stdout) }
    : {
        name: "ripgrep",
        status: "fail",
        required: true,
        detail: result.reason,
        fix: "apt-get install -y ripgrep",
      }
}

/** Optional: only the end-to-end tests and page previews need a browser. */
export async function checkChromium(env: Env): Promise<CheckResult> {
  const path = env.CHROME_PATH || "/usr/bin/chromium"
  const result = await runProgram(path, ["--version"], env)
  if (result.ok) {
    // Debian's wrapper script prints a harmless shell warning before the banner.
    const banner = result.stdout.split("\n").find((line) => /chrom/i.test(line)) ?? firstLine(result.stdout)
    return { name: "Chromium", status: "ok", required: false, detail: `${banner.trim()} (${path})` }
  }
  return {
    name: "Chromium",
    status: "warn",
    required: false,
    detail: `${path}: ${result.reason} (optional: end-to-end tests and page previews)`,
    fix: "apt-get install -y chromium, or set CHROME_PATH to a Chromium or Chrome binary",
  }
}
