/**
 * A small QR code encoder (ISO/IEC 18004: byte mode, error correction level M, versions 1–40) for the
 * two-factor enrolment's otpauth:// link, so that the page draws the code itself instead of sending the
 * secret to a third-party image service. Follows the structure of Project Nayuki's reference encoder.
 * Returns the module matrix: `modules[y][x]`, true = dark.
 */

// Error correction codewords per block and number of blocks, level M, indexed by version (0 unused).
const eccPerBlock = [
  -1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28,
  28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
]
const blockCount = [
  -1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28,
  29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
]
// Format bits of level M.
const levelBits = 0

export interface QrCode {
  version: number
  size: number
  mask: number
  modules: boolean[][]
}

export function encodeQr(text: string, options: { mask?: number } = {}): QrCode {
  const bytes = [...new TextEncoder().encode(text)]
  let version = 1
  for (; ; version++) {
    if (version > 40) throw new Error("too long for a QR code")
    const countBits = version <= 9 ? 8 : 16
    if (4 + countBits + bytes.length * 8 <= dataCodewords(version) * 8) break
  }
  const capacity = dataCodewords(version) * 8
  const bits: number[] = []
  const append = (value: number, length: number) => {
    for (let index = length - 1; index >= 0; index--) bits.push((value >>> index) & 1)
  }
  append(0b0100, 4)
  append(bytes.length, version <= 9 ? 8 : 16)
  for (const byte of bytes) append(byte, 8)
  append(0, Math.min(4, capacity - bits.length))
  append(0, (8 - (bits.length % 8)) % 8)
  for (let pad = 0xec; bits.length < capacity; pad ^= 0xec ^ 0x11) append(pad, 8)
  const data: number[] = []
  for (let index = 0; index < bits.length; index += 8) {
    data.push(bits.slice(index, index + 8).reduce((value, bit) => (value << 1) | bit, 0))
  }

  const size = version * 4 + 17
  const matrix = new Matrix(size)
  drawFunctionPatterns(matrix, version)
  drawCodewords(matrix, interleaveWithEcc(data, version))
  const masks = options.mask === undefined ? [0, 1, 2, 3, 4, 5, 6, 7] : [options.mask]
  let best = masks[0]!
  let bestPenalty = Number.POSITIVE_INFINITY
  for (const mask of masks) {
    applyMask(matrix, mask)
    drawFormatBits(matrix, mask)
    const score = penalty(matrix.modules)
    if (score < bestPenalty) {
      best = mask
      bestPenalty = score
    }
    applyMask(matrix, mask)
  }
  applyMask(matrix, best)
  drawFormatBits(matrix, best)
  return { version, size, mask: best, modules: matrix.modules }
}

class Matrix {
  readonly size: number
  modules: boolean[][]
  reserved: boolean[][]
  constructor(size: number) {
    this.size = size
    this.modules = Array.from({ length: size }, () => Array<boolean>(size).fill(false))
    this.reserved = Array.from({ length: size }, () => Array<boolean>(size).fill(false))
  }
  set(x: number, y: number, dark: boolean): void {
    this.modules[y]![x] = dark
    this.reserved[y]![x] = true
  }
}

function rawModules(version: number): number {
  let result = (16 * version + 128) * version + 64
  if (version >= 2) {
    const alignments = Math.floor(version / 7) + 2
    result -= (25 * alignments - 10) * alignments - 55
    if (version >= 7) result -= 36
  }
  return result
}

function dataCodewords(version: number): number {
  return Math.floor(rawModules(version) / 8) - eccPerBlock[version]! * blockCount[version]!
}

function alignmentPositions(version: number): number[] {
  if (version === 1) return []
  const count = Math.floor(version / 7) + 2
  const step = version === 32 ? 26 : Math.ceil((version * 4 + 4) / (count * 2 - 2)) * 2
  const result = [6]
  for (let position = version * 4 + 10; result.length < count; position -= step) result.splice(1, 0, position)
  return result
}

function drawFunctionPatterns(matrix: Matrix, version: number): void {
  const { size } = matrix
  for (let index = 0; index < size; index++) {
    matrix.set(6, index, index % 2 === 0)
    matrix.set(index, 6, index % 2 === 0)
  }
  for (const [cx, cy] of [
    [3, 3],
    [size - 4, 3],
    [3, size - 4],
  ] as const) {
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const distance = Math.max(Math.abs(dx), Math.abs(dy))
        const x = cx + dx
        const y = cy + dy
        if (x >= 0 && x < size && y >= 0 && y < size) matrix.set(x, y, distance !== 2 && distance !== 4)
      }
    }
  }
  const positions = alignmentPositions(version)
  const last = positions.length - 1
  positions.forEach((x, i) => {
    positions.forEach((y, j) => {
      if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) return
      for (let dy = -2; dy <= 2; dy++) {
        for (let dx = -2; dx <= 2; dx++)
          matrix.set(x + dx, y + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1)
      }
    })
  })
  drawFormatBits(matrix, 0) // reserves the area; redrawn with the chosen mask
  if (version >= 7) {
    let remainder = version
    for (let index = 0; index < 12; index++) remainder = (remainder << 1) ^ ((remainder >>> 11) * 0x1f25)
    const bits = (version << 12) | remainder
    for (let index = 0; index < 18; index++) {
      const dark = ((bits >>> index) & 1) === 1
      const a = size - 11 + (index % 3)
      const b = Math.floor(index / 3)
      matrix.set(a, b, dark)
      matrix.set(b, a, dark)
    }
  }
}

function drawFormatBits(matrix: Matrix, mask: number): void {
  const { size } = matrix
  const data = (levelBits << 3) | mask
  let remainder = data
  for (let index = 0; index < 10; index++) remainder = (remainder << 1) ^ ((remainder >>> 9) * 0x537)
  const bits = ((data << 10) | remainder) ^ 0x5412
  const bit = (index: number) => ((bits >>> index) & 1) === 1
  for (let index = 0; index <= 5; index++) matrix.set(8, index, bit(index))
  matrix.set(8, 7, bit(6))
  matrix.set(8, 8, bit(7))
  matrix.set(7, 8, bit(8))
  for (let index = 9; index < 15; index++) matrix.set(14 - index, 8, bit(index))
  for (let index = 0; index < 8; index++) matrix.set(size - 1 - index, 8, bit(index))
  for (let index = 8; index < 15; index++) matrix.set(8, size - 15 + index, bit(index))
  matrix.set(8, size - 8, true)
}

function multiply(x: number, y: number): number {
  let z = 0
  for (let index = 7; index >= 0; index--) {
    z = (z << 1) ^ ((z >>> 7) * 0x11d)
    z ^= ((y >>> index) & 1) * x
  }
  return z
}

function reedSolomonDivisor(degree: number): number[] {
  const result = Array<number>(degree).fill(0)
  result[degree - 1] = 1
  let root = 1
  for (let index = 0; index < degree; index++) {
    for (let j = 0; j < result.length; j++) {
      result[j] = multiply(result[j]!, root)
      if (j + 1 < result.length) result[j]! ^= result[j + 1]!
    }
    root = multiply(root, 0x02)
  }
  return result
}

function reedSolomonRemainder(data: number[], divisor: number[]): number[] {
  const result = Array<number>(divisor.length).fill(0)
  for (const byte of data) {
    const factor = byte ^ result.shift()!
    result.push(0)
    divisor.forEach((coefficient, index) => {
      result[index]! ^= multiply(coefficient, factor)
    })
  }
  return result
}

function interleaveWithEcc(data: number[], version: number): number[] {
  const blocks = blockCount[version]!
  const eccLength = eccPerBlock[version]!
  const raw = Math.floor(rawModules(version) / 8)
  const shortBlocks = blocks - (raw % blocks)
  const shortLength = Math.floor(raw / blocks)
  const divisor = reedSolomonDivisor(eccLength)
  const all: number[][] = []
  for (let index = 0, offset = 0; index < blocks; index++) {
    const block = data.slice(offset, offset + shortLength - eccLength + (index < shortBlocks ? 0 : 1))
    offset += block.length
    const ecc = reedSolomonRemainder(block, divisor)
    if (index < shortBlocks) block.push(0)
    all.push([...block, ...ecc])
  }
  const result: number[] = []
  for (let index = 0; index < all[0]!.length; index++) {
    all.forEach((block, j) => {
      if (index !== shortLength - eccLength || j >= shortBlocks) result.push(block[index]!)
    })
  }
  return result
}

function drawCodewords(matrix: Matrix, codewords: number[]): void {
  const { size } = matrix
  let bit = 0
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5
    for (let vertical = 0; vertical < size; vertical++) {
      for (let j = 0; j < 2; j++) {
        const x = right - j
        const upward = ((right + 1) & 2) === 0
        const y = upward ? size - 1 - vertical : vertical
        if (!matrix.reserved[y]![x] && bit < codewords.length * 8) {
          matrix.modules[y]![x] = ((codewords[bit >>> 3]! >>> (7 - (bit & 7))) & 1) === 1
          bit++
        }
      }
    }
  }
}

const maskRules: ((x: number, y: number) => boolean)[] = [
  (x, y) => (x + y) % 2 === 0,
  (_x, y) => y % 2 === 0,
  (x) => x % 3 === 0,
  (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0,
  (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
]

function applyMask(matrix: Matrix, mask: number): void {
  const rule = maskRules[mask]!
  for (let y = 0; y < matrix.size; y++) {
    for (let x = 0; x < matrix.size; x++) {
      if (!matrix.reserved[y]![x] && rule(x, y)) matrix.modules[y]![x] = !matrix.modules[y]![x]
    }
  }
}

/** Runs of five or more, 2×2 blocks and the dark/light balance (rules 1, 2 and 4 of the standard). */
function penalty(modules: boolean[][]): number {
  const size = modules.length
  let score = 0
  let dark = 0
  for (let a = 0; a < size; a++) {
    let rowRun = 1
    let columnRun = 1
    for (let b = 0; b < size; b++) {
      if (modules[a]![b]) dark++
      if (b > 0) {
        rowRun = modules[a]![b] === modules[a]![b - 1] ? rowRun + 1 : 1
        columnRun = modules[b]![a] === modules[b - 1]![a] ? columnRun + 1 : 1
        if (rowRun === 5) score += 3
        else if (rowRun > 5) score += 1
        if (columnRun === 5) score += 3
        else if (columnRun > 5) score += 1
      }
      if (a > 0 && b > 0) {
        const colour = modules[a]![b]
        if (
          colour === modules[a - 1]![b] &&
          colour === modules[a]![b - 1] &&
          colour === modules[a - 1]![b - 1]
        )
          score += 3
      }
    }
  }
  const total = size * size
  score += Math.floor(Math.abs(dark * 20 - total * 10) / total) * 10
  return score
}
