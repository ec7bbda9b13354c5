import assert from "node:assert/strict"
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { test } from "node:test"
import { brotliDecompressSync, gunzipSync } from "node:zlib"
import { precompressDir } from "../precompress.ts"

test("the build step writes .br and .gz beside each text file of 1 KiB and more, and nothing else", async () => {
  const dir = await mkdtemp(join(tmpdir(), "xionimus-precompress-"))
  try {
    await mkdir(join(dir, "assets"))
    const script = "export const answer = 42;\n".repeat(100)
    const style = ".panel { display: grid; }\n".repeat(80)
    await writeFile(join(dir, "index.html"), `<!doctype html>${"<p>shell</p>".repeat(100)}`)
    await writeFile(join(dir, "assets", "app-1a2b.js"), script)
    await writeFile(join(dir, "assets", "app-1a2b.css"), style)
    await writeFile(join(dir, "assets", "tiny-9z.js"), "export {}")
    await writeFile(join(dir, "assets", "icon.png"), Buffer.alloc(4096, 7))
    const compressed = await precompressDir(dir)
    assert.deepEqual(compressed, [
      join(dir, "assets", "app-1a2b.css"),
      join(dir, "assets", "app-1a2b.js"),
      join(dir, "index.html"),
    ])
    assert.equal(
      brotliDecompressSync(await readFile(join(dir, "assets", "app-1a2b.js.br"))).toString(),
      script,
    )
    assert.equal(gunzipSync(await readFile(join(dir, "assets", "app-1a2b.css.gz"))).toString(), style)
    const names = (await readdir(join(dir, "assets"))).sort()
    assert.deepEqual(names, [
      "app-1a2b.css",
      "app-1a2b.css.br",
      "app-1a2b.css.gz",
      "app-1a2b.js",
      "app-1a2b.js.br",
      "app-1a2b.js.gz",
      "icon.png",
      "tiny-9z.js",
    ])
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
