import assert from "node:assert/strict"
import { spawnSync } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { basename, join } from "node:path"
import { test } from "node:test"
import { createStateDir } from "../src/state-dir.ts"

test("a provider's state dir is named after its process; those of processes that are gone are removed", () => {
  const parent = mkdtempSync(join(tmpdir(), "state-dir-test-"))
  try {
    const gone = spawnSync("/bin/true").pid
    const stale = join(parent, `xionimus-gvisor-p${gone}-abc123`)
    const alive = join(parent, "xionimus-gvisor-p1-def456")
    const otherKind = join(parent, `xionimus-sandbox-p${gone}-ghi789`)
    const unrelated = join(parent, "something-else")
    for (const dir of [stale, alive, otherKind, unrelated])
      mkdirSync(join(dir, "bundles"), { recursive: true })

    const made = createStateDir(parent, "gvisor")

    assert.match(basename(made), new RegExp(`^xionimus-gvisor-p${process.pid}-`))
    assert.ok(existsSync(made))
    assert.equal(existsSync(stale), false, "the dead process's directory is removed")
    assert.ok(existsSync(alive), "a running process's directory is kept")
    assert.ok(existsSync(otherKind), "another backend's directory is its own to sweep")
    assert.ok(existsSync(unrelated))
  } finally {
    rmSync(parent, { recursive: true, force: true })
  }
})
