import assert from "node:assert/strict"
import { mkdtemp, rm } from "node:fs/promises"
import { createServer, type Server } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import { runShell } from "@xionimus/testing"
import { createBubblewrapProvider } from "../src/bubblewrap-provider.ts"
import { hostAllowed, isInternalAddress } from "../src/egress-proxy.ts"
import type { Sandbox, SandboxProvider } from "../src/types.ts"

describe("egress allow-list", () => {
  it("matches exact hosts, IP literals and *.suffix subdomains only", () => {
    const allow = ["pypi.org", "*.npmjs.org", "127.0.0.1"]
    assert.equal(hostAllowed("PyPI.org", allow), true)
    assert.equal(hostAllowed("registry.npmjs.org", allow), true)
    assert.equal(hostAllowed("npmjs.org", allow), false)
    assert.equal(hostAllowed("evilpypi.org", allow), false)
    assert.equal(hostAllowed("127.0.0.1", allow), true)
    assert.equal(hostAllowed("127.0.0.2", allow), false)
  })

  it("knows internal addresses", () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "::1",
      "fd00::1",
      "::ffff:127.0.0.1",
    ]) {
      assert.equal(isInternalAddress(address), true, address)
    }
    for (const address of ["1.1.1.1", "8.8.8.8", "2606:4700::1111"])
      assert.equal(isInternalAddress(address), false, address)
  })

  describe("through the sandbox", () => {
    let workspace: string
    let provider: SandboxProvider
    let sandbox: Sandbox
    let server: Server
    let port: number
    const refused: unknown[] = []
    before(async () => {
      workspace = await mkdtemp(join(tmpdir(), "xionimus-egress-test-"))
      server = createServer((request, response) => response.end(`host says ${request.url}`))
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
      port = (server.address() as { port: number }).port
      const logger = {
        warn: (data: unknown) => refused.push(data),
        info: () => undefined,
        child() {
          return logger
        },
      }
      provider = await createBubblewrapProvider({ cgroups: false, logger: logger as never })
      if (provider.capabilities.network !== "allow-list") return
      // "localhost" resolves to 127.0.0.1: refused as DNS rebinding onto the host; the literal is allowed.
      sandbox = await provider.create({
        projectId: "egress",
        workspaceDir: workspace,
        network: { allow: ["127.0.0.1", "localhost"] },
      })
    })
    after(async () => {
      await provider?.dispose()
      server?.close()
      await rm(workspace, { recursive: true, force: true })
    })

    it("reaches allowed hosts over HTTP and CONNECT; refuses and logs the rest", async (context) => {
      if (provider.capabilities.network !== "allow-list") return context.skip("no python3 for the bridge")
      const script = [
        "import http.client, urllib.request",
        `print(urllib.request.urlopen('http://127.0.0.1:${port}/plain').read().decode())`,
        "tunnel = http.client.HTTPConnection('127.0.0.1', 3128, timeout=5)",
        `tunnel.set_tunnel('127.0.0.1', ${port})`,
        "tunnel.request('GET', '/tunnel'); print(tunnel.getresponse().read().decode())",
        `for url in ['http://example.com/', 'http://localhost:%d/' % ${port}]:`,
        "    try: urllib.request.urlopen(url); print('REACHED', url)",
        "    except Exception as error: print('refused', getattr(error, 'code', error))",
        "blocked = http.client.HTTPConnection('127.0.0.1', 3128, timeout=5)",
        "blocked.set_tunnel('example.com', 443)",
        "try: blocked.request('GET', '/'); print('REACHED tunnel')",
        "except OSError as error: print('refused tunnel')",
      ].join("\n")
      const run = await runShell(sandbox, "python3 -", {
        stdin: script,
        env: { NO_PROXY: "none", no_proxy: "none" },
      })
      assert.equal(
        run.stdout,
        "host says /plain\nhost says /tunnel\nrefused 403\nrefused 403\nrefused tunnel\n",
        run.stderr,
      )
      const hosts = refused.map((entry) => (entry as { host?: string }).host).filter(Boolean)
      assert.deepEqual(hosts.sort(), ["example.com", "example.com", "localhost"])
    })

    it("projects without a network setting get no proxy", async () => {
      const plain = await provider.create({ projectId: "offline", workspaceDir: workspace })
      const run = await runShell(plain, "env | grep -ci proxy; ls /run 2>&1")
      assert.match(run.stdout, /^0\n/)
    })
  })
})
