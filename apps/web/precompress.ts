// A build step: every text file of the production build of 1 KiB and more gets a brotli (.br) and a gzip
// (.gz) copy beside it, compressed once at maximum effort, which the server sends to clients that take
// them (packages/server/src/web-client.ts). Nothing is compressed per request.
import { readdir, readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { promisify } from "node:util"
import { brotliCompress, constants, gzip } from "node:zlib"
import type { Plugin } from "vite"

const brotli = promisify(brotliCompress)
const gzipAsync = promisify(gzip)

const textFile = /\.(js|mjs|css|html|svg|json|webmanifest|txt|xml|map)$/
const minBytes = 1024

/** Writes `<file>.br` and `<file>.gz` for each text file under `dir`; returns the files compressed. */
export async function precompressDir(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  const files = entries
    .filter((entry) => entry.isFile() && textFile.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
  const compressed: string[] = []
  await Promise.all(
    files.map(async (file) => {
      const content = await readFile(file)
      if (content.length < minBytes) return
      const [br, gz] = await Promise.all([
        brotli(content, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
          },
        }),
        gzipAsync(content, { level: constants.Z_BEST_COMPRESSION }),
      ])
      await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gz)])
      compressed.push(file)
    }),
  )
  return compressed.sort()
}

/** The Vite plugin: precompresses the output directory once the bundle is written. */
export function precompress(): Plugin {
  return {
    name: "xionimus-precompress",
    apply: "build",
    async writeBundle(options) {
      if (options.dir) await precompressDir(options.dir)
    },
  }
}
