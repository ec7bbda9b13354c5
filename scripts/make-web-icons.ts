// Draws the app's PNG icons (apps/web/public/icons) from the favicon's shapes: an indigo tile with a white
// cross. `node scripts/make-web-icons.ts` rewrites them; the PNGs are committed so builds need no tool.
// "any" icons keep the favicon's rounded corners; "maskable" ones fill the square and keep the cross inside
// the central 80% safe zone that launchers may crop to a circle.
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { deflateSync } from "node:zlib"

const out = new URL("../apps/web/public/icons/", import.meta.url).pathname
const tile = [0x4f, 0x46, 0xe5] as const

/** Coverage (0–1) of one point in a 32×32 design space: tile, and the cross drawn over it. */
function sample(x: number, y: number, maskable: boolean): { tile: number; cross: number } {
  // Maskable: the cross shrinks to the safe zone and the tile fills the square.
  const scale = maskable ? 0.72 : 1
  const cx = (x - 16) / scale + 16
  const cy = (y - 16) / scale + 16
  let inTile = 1
  if (!maskable) {
    const radius = 8
    const dx = Math.max(radius - x, 0, x - (32 - radius))
    const dy = Math.max(radius - y, 0, y - (32 - radius))
    inTile = dx * dx + dy * dy <= radius * radius ? 1 : 0
  }
  const segment = (ax: number, ay: number, bx: number, by: number) => {
    const t = Math.max(
      0,
      Math.min(1, ((cx - ax) * (bx - ax) + (cy - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)),
    )
    return Math.hypot(cx - (ax + t * (bx - ax)), cy - (ay + t * (by - ay)))
  }
  const distance = Math.min(segment(10, 10, 22, 22), segment(22, 10, 10, 22))
  return { tile: inTile, cross: inTile && distance <= 1.6 ? 1 : 0 }
}

function pixels(size: number, maskable: boolean): Buffer {
  const grid = 4
  const rows: Buffer[] = []
  for (let py = 0; py < size; py++) {
    const row = Buffer.alloc(1 + size * 4)
    for (let px = 0; px < size; px++) {
      let tileCover = 0
      let crossCover = 0
      for (let sy = 0; sy < grid; sy++)
        for (let sx = 0; sx < grid; sx++) {
          const point = sample(
            ((px + (sx + 0.5) / grid) / size) * 32,
            ((py + (sy + 0.5) / grid) / size) * 32,
            maskable,
          )
          tileCover += point.tile
          crossCover += point.cross
        }
      tileCover /= grid * grid
      crossCover /= grid * grid
      const white = tileCover > 0 ? crossCover / tileCover : 0
      const offset = 1 + px * 4
      for (let channel = 0; channel < 3; channel++)
        row[offset + channel] = Math.round(tile[channel]! * (1 - white) + 255 * white)
      row[offset + 3] = Math.round(tileCover * 255)
    }
    rows.push(row)
  }
  return Buffer.concat(rows)
}

function crc32(bytes: Buffer): number {
  let crc = ~0
  for (const byte of bytes) {
    crc ^= byte
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1))
  }
  return ~crc >>> 0
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, "latin1"), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

function png(size: number, maskable: boolean): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header[8] = 8 // bit depth
  header[9] = 6 // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(pixels(size, maskable), { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ])
}

for (const [name, size, maskable] of [
  ["icon-192.png", 192, false],
  ["icon-512.png", 512, false],
  ["maskable-192.png", 192, true],
  ["maskable-512.png", 512, true],
  ["apple-touch-icon.png", 180, true],
] as const) {
  writeFileSync(join(out, name), png(size, maskable))
  console.log(`wrote ${name}`)
}
