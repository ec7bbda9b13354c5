import assert from "node:assert/strict"
import { spawn } from "node:child_process"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { mkdir, rm, writeFile } from "node:fs/promises"
import { createServer, type Server } from "node:net"
import { networkInterfaces } from "node:os"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import type { Sandbox, SandboxProvider } from "@xionimus/sandbox"
import { createHostLayout, type OpenSandboxProvider, runShell } from "./sandbox-contract.ts"

const mebibyte = 1024 * 1024

/**
 * The attacks of issue 5, each followed by a check that the host is unaffected. Runs only against
 * isolating backends; limit attacks only where capabilities say the limit is enforced.
 */
export function sandboxAttackContract(name: string, open: OpenSandboxProvider): void {
  describe(`Sandbox attacks: ${name}`, () => {
    let provider: SandboxProvider
    let layout: Awaited<ReturnType<typeof createHostLayout>>
    let sandbox: Sandbox
    let otherWorkspace: string
    let isolated = true
    const enforced = (limit: string) =>
      provider.capabilities.limits.some((item) => item.name === limit && item.enforced)

    before(async () => {
      layout = await createHostLayout()
      provider = await open({
        maxConcurrent: 8,
        diskCheckIntervalMs: 100,
        limits: {
          timeoutMs: 20_000,
          cpuSeconds: 10,
          memoryBytes: 128 * mebibyte,
          pids: 64,
          outputBytes: mebibyte,
          tmpBytes: 8 * mebibyte,
          fileBytes: 32 * mebibyte,
          diskBytes: 48 * mebibyte,
        },
      })
      isolated = provider.capabilities.isolated
      sandbox = await provider.create({
        projectId: "attacker",
        workspaceDir: await layout.workspace("attacker"),
      })
      otherWorkspace = await layout.workspace("victim")
      await writeFile(join(otherWorkspace, "secret.txt"), "victim-secret")
    })
    after(async () => {
      await provider?.dispose()
      await layout?.remove()
    })

    /** The host still works and the sandbox still serves the next run. */
    async function assertHostUnaffected(): Promise<void> {
      const run = await runShell(sandbox, "echo still-alive")
      assert.equal(run.stdout, "still-alive\n")
      assert.equal(provider.stats().running, 0)
    }

    const attack = (title: string, body: () => Promise<void>, limit?: string) =>
      it(title, async (context) => {
        if (!isolated) return context.skip("backend does not isolate")
        if (limit && !enforced(limit)) return context.skip(`${limit} is not enforced here`)
        await body()
        await assertHostUnaffected()
      })

    attack(
      "fork bomb: stopped by the pids limit, then killed",
      async () => {
        const run = await runShell(sandbox, "f() { f | f & }; f; sleep 30", { limits: { timeoutMs: 2000 } })
        assert.equal(run.result.limit, "pids")
      },
      "pids",
    )

    attack(
      "memory bomb in Python: killed by the memory limit",
      async () => {
        const run = await runShell(
          sandbox,
          "python3 -c 'a = []\nwhile True: a.append(bytearray(8 * 1024 * 1024))'",
        )
        assert.equal(run.result.limit, "memory")
      },
      "memoryBytes",
    )

    attack(
      "memory bomb in Node: killed by the memory limit",
      async () => {
        const run = await runShell(
          sandbox,
          "node -e 'const a = []; for (;;) a.push(Buffer.alloc(8 << 20, 1))'",
        )
        assert.equal(run.result.limit, "memory")
      },
      "memoryBytes",
    )

    attack("CPU spin past the timeout: the whole tree is killed", async () => {
      const run = await runShell(sandbox, "while :; do :; done & while :; do :; done", {
        limits: { timeoutMs: 700 },
      })
      assert.equal(run.result.limit, "timeout")
      assert.equal(run.result.signal, "SIGKILL")
    })

    attack(
      "CPU time past RLIMIT_CPU",
      async () => {
        const run = await runShell(sandbox, "while :; do :; done", {
          limits: { cpuSeconds: 1, timeoutMs: 15_000 },
        })
        assert.equal(run.result.limit, "cpu")
      },
      "cpuSeconds",
    )

    attack("1 GiB output flood: capped, marked, and server memory stays flat", async () => {
      const before = process.memoryUsage().rss
      let bytes = 0
      let last = ""
      const result = await sandbox.exec({
        command: { shell: "head -c 1073741824 /dev/zero" },
        onOutput: (chunk) => {
          bytes += chunk.data.length
          last = chunk.data.toString("latin1")
        },
      })
      assert.equal(result.limit, "output")
      assert.equal(result.truncated, true)
      assert.equal(result.usage.stdoutBytes, mebibyte)
      assert.match(last, /output truncated/)
      assert.ok(bytes < 2 * mebibyte)
      assert.ok(process.memoryUsage().rss - before < 256 * mebibyte, "server memory grew with the flood")
    })

    attack("writing outside /workspace fails and leaves the host untouched", async () => {
      const targets = [
        "/usr/bin/xionimus-evil",
        "/etc/xionimus-evil",
        "/xionimus-evil",
        `${layout.dataDir}/evil`,
      ]
      const script = targets.map((path) => `(echo x > ${path}) 2>/dev/null && echo WROTE ${path}`).join("; ")
      const run = await runShell(sandbox, `${script}; echo done`)
      assert.equal(run.stdout, "done\n")
      for (const path of targets) assert.equal(existsSync(path), false, `${path} exists on the host`)
    })

    attack(
      "reading the data dir, config, /etc/shadow, /root, /home and another workspace fails",
      async () => {
        const paths = [
          "/workspace/../xionimus.db",
          `${layout.dataDir}/xionimus.db`,
          "/etc/shadow",
          "/etc/gshadow",
          "/root/.bashrc",
          `${otherWorkspace}/secret.txt`,
          "/workspace/../victim/secret.txt",
          "/proc/1/root/etc/shadow",
          "/proc/self/root/etc/shadow",
          "/proc/1/root/root/.bashrc",
        ]
        const script = paths.map((path) => `cat ${path} 2>/dev/null && echo LEAK ${path}`).join("; ")
        const run = await runShell(
          sandbox,
          `${script}; for d in /root /home; do [ -e $d ] && echo LEAK-LIST; done; echo done`,
        )
        assert.equal(run.stdout, "done\n")
      },
    )

    attack("/proc shows only the sandbox: no host processes, no server environment", async () => {
      process.env.XIONIMUS_CONTRACT_SECRET = "server-env-secret"
      try {
        const run = await runShell(
          sandbox,
          "set -- /proc/[0-9]*; echo $#; cat /proc/1/environ /proc/*/environ 2>/dev/null",
        )
        const processes = Number(run.stdout.split("\n")[0])
        assert.ok(processes < 10, `saw ${processes} processes`)
        assert.doesNotMatch(run.stdout, /server-env-secret/)
      } finally {
        delete process.env.XIONIMUS_CONTRACT_SECRET
      }
    })

    attack("hard links to files outside the workspace are refused", async () => {
      const run = await runShell(
        sandbox,
        "for f in /etc/passwd /usr/bin/passwd /usr/bin/su; do ln $f /workspace/link-$(basename $f) 2>/dev/null && echo LINKED $f; done; echo done",
      )
      assert.equal(run.stdout, "done\n")
    })

    attack(
      "no network: loopback server, PostgreSQL, Redis, outside addresses and DNS are unreachable",
      async () => {
        const accepted: string[] = []
        const server: Server = createServer((socket) => {
          accepted.push(String(socket.remoteAddress))
          socket.destroy()
        })
        await new Promise<void>((resolve) => server.listen(0, "0.0.0.0", resolve))
        const port = (server.address() as { port: number }).port
        const external = Object.values(networkInterfaces())
          .flat()
          .find((item) => item && item.family === "IPv4" && !item.internal)?.address
        const targets = [
          ["127.0.0.1", port],
          ["127.0.0.1", 5432],
          ["127.0.0.1", 6379],
          ["1.1.1.1", 443],
          ["8.8.8.8", 53],
          ...(external ? [[external, port]] : []),
        ]
        const script = [
          "import socket",
          `for host, port in ${JSON.stringify(targets)}:`,
          "    s = socket.socket(); s.settimeout(1)",
          "    try:",
          "        s.connect((host, port)); print('CONNECTED', host, port)",
          "    except OSError: pass",
          "try:",
          "    socket.getaddrinfo('example.com', 80); print('RESOLVED')",
          "except OSError: pass",
          "print('done')",
        ].join("\n")
        try {
          const run = await runShell(sandbox, "python3 -", { stdin: script })
          assert.equal(run.stdout, "done\n")
          assert.deepEqual(accepted, [])
        } finally {
          server.close()
        }
      },
    )

    attack("signalling host processes has no effect", async () => {
      const victim = spawn("sleep", ["60"], { stdio: "ignore" })
      try {
        const run = await runShell(
          sandbox,
          `kill -9 ${victim.pid} 2>/dev/null && echo KILLED; kill -9 -1; echo done`,
        )
        assert.doesNotMatch(run.stdout, /KILLED/)
        assert.equal(victim.exitCode, null)
        assert.equal(victim.signalCode, null)
        process.kill(victim.pid!, 0)
      } finally {
        victim.kill("SIGKILL")
      }
    })

    attack("ptrace, mount, unshare, setns and keyctl are refused", async () => {
      const script = [
        "import ctypes, os",
        "libc = ctypes.CDLL(None, use_errno=True)",
        "print('ptrace', libc.ptrace(0, 0, 0, 0))",
        "print('mount', libc.mount(b'none', b'/tmp', b'tmpfs', 0, None))",
        "print('unshare', libc.unshare(0x10000000))",
        "print('unshare-net', libc.unshare(0x40000000))",
        "print('setns', libc.setns(0, 0))",
        "print('keyctl', libc.syscall(250 if os.uname().machine == 'x86_64' else 219, 0, 0, 0))",
      ].join("\n")
      const run = await runShell(
        sandbox,
        "python3 -; unshare -U true 2>/dev/null && echo UNSHARED; echo done",
        {
          stdin: script,
        },
      )
      // gVisor's own kernel implements ptrace and user namespaces: they work inside and never reach the host's.
      const emulated = provider.capabilities.backend === "gvisor" ? /^(ptrace|unshare|unshare-net) / : null
      for (const line of run.stdout.trim().split("\n").slice(0, -1)) {
        if (emulated?.test(line) || line === "UNSHARED") continue
        assert.match(line, / -1$/)
      }
      assert.match(run.stdout, /mount -1\nunshare/)
      assert.match(run.stdout, /done\n$/)
      if (!emulated) assert.doesNotMatch(run.stdout, /UNSHARED/)
    })

    attack("setuid binaries give no privilege (no_new_privs, nosuid)", async () => {
      if (provider.capabilities.backend === "gvisor") {
        // There the run is uid 0 of gVisor's own kernel without capabilities: privilege means capabilities.
        const run = await runShell(
          sandbox,
          "python3 -c 'import ctypes; print(\"nnp\", ctypes.CDLL(None).prctl(39, 0, 0, 0, 0))'; su -c 'grep CapEff /proc/self/status' root </dev/null 2>/dev/null; grep CapEff /proc/self/status",
        )
        assert.match(run.stdout, /^nnp 1$/m)
        assert.match(run.stdout, /CapEff:\s+0{16}\n$/)
        assert.doesNotMatch(run.stdout, /CapEff:\s+0*[1-9a-f]/)
        return
      }
      const run = await runShell(
        sandbox,
        "grep NoNewPrivs /proc/self/status; su -c 'id -u' root </dev/null 2>/dev/null; python3 -c 'import os; os.setuid(0)' 2>/dev/null && echo SETUID; id -u",
      )
      assert.match(run.stdout, /NoNewPrivs:\s+1/)
      assert.doesNotMatch(run.stdout, /SETUID|^0$/m)
    })

    attack(
      "filling /tmp stops at its size and does not touch the host",
      async () => {
        const run = await runShell(
          sandbox,
          "head -c 64M /dev/zero > /tmp/fill; echo status=$?; du -k /tmp/fill",
        )
        assert.match(run.stdout, /status=1/)
        const kilobytes = Number(run.stdout.split("\n")[1]?.split("\t")[0])
        assert.ok(kilobytes <= 8 * 1024, `tmp held ${kilobytes} KiB`)
      },
      "tmpBytes",
    )

    attack(
      "one huge file is stopped by the file size limit",
      async () => {
        const run = await runShell(sandbox, "head -c 100M /dev/zero > /workspace/huge")
        assert.equal(run.result.limit, "disk")
        await rm(join(layout.dataDir, "workspaces", "attacker", "huge"), { force: true })
      },
      "fileBytes",
    )

    attack(
      "filling the workspace with many files is stopped by the disk quota",
      async () => {
        const run = await runShell(
          sandbox,
          "mkdir -p fill; i=0; while :; do head -c 4M /dev/zero > fill/$i || exit 9; i=$((i+1)); sleep 0.02; done",
        )
        assert.equal(run.result.limit, "disk")
        await rm(join(layout.dataDir, "workspaces", "attacker", "fill"), { recursive: true, force: true })
      },
      "diskBytes",
    )

    attack("background processes do not outlive the run", async () => {
      const marker = `${40_000 + Math.floor(Math.random() * 10_000)}.5`
      const run = await runShell(
        sandbox,
        `sleep ${marker} & (sleep ${marker} &) ; nohup sleep ${marker} >/dev/null 2>&1 & setsid sleep ${marker} & echo started`,
      )
      assert.equal(run.stdout, "started\n")
      assert.deepEqual(hostProcessesWith(marker), [])
    })

    it("50 concurrent runs all complete with their own output", async (context) => {
      if (!isolated) return context.skip("backend does not isolate")
      const runs = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          runShell(sandbox, `echo run-${index}; cat /proc/loadavg >/dev/null`),
        ),
      )
      for (const [index, run] of runs.entries()) {
        assert.equal(run.result.exitCode, 0, JSON.stringify(run.result))
        assert.equal(run.stdout, `run-${index}\n`)
      }
      await assertHostUnaffected()
    })

    it("the /dev it sees holds no disks", async (context) => {
      if (!isolated) return context.skip("backend does not isolate")
      await mkdir(join(layout.dataDir, "unused"), { recursive: true })
      const run = await runShell(sandbox, "echo /dev/*")
      assert.doesNotMatch(run.stdout, /sd[a-z]|vd[a-z]|nvme|mem\b|kmsg/)
    })
  })
}

/** Host pids whose command line mentions `marker`. */
function hostProcessesWith(marker: string): number[] {
  const found: number[] = []
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(marker)) found.push(Number(entry))
    } catch {
      // Exited while we looked.
    }
  }
  return found
}
