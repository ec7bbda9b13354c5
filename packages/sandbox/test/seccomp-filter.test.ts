import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { buildSeccompFilter } from "../src/seccomp-filter.ts"
import { deniedSyscalls } from "../src/syscall-table.ts"

const allow = 0x7fff0000
const kill = 0x80000000
const errno = (code: number) => 0x00050000 | code

/** A classic-BPF interpreter for the few opcodes our generator uses, over a seccomp_data record. */
function decide(program: Buffer, data: { arch: number; nr: number; args?: number[] }): number {
  const word = (offset: number) => {
    if (offset === 0) return data.nr >>> 0
    if (offset === 4) return data.arch >>> 0
    const index = (offset - 16) / 8
    return (data.args?.[index] ?? 0) >>> 0
  }
  let accumulator = 0
  for (let pc = 0; pc < program.length / 8; ) {
    const code = program.readUInt16LE(pc * 8)
    const jumpTrue = program.readUInt8(pc * 8 + 2)
    const jumpFalse = program.readUInt8(pc * 8 + 3)
    const k = program.readUInt32LE(pc * 8 + 4)
    if (code === 0x20) accumulator = word(k)
    else if (code === 0x06) return k
    else if (code === 0x15) pc += accumulator === k ? jumpTrue : jumpFalse
    else if (code === 0x35) pc += accumulator >= k ? jumpTrue : jumpFalse
    else if (code === 0x45) pc += (accumulator & k) !== 0 ? jumpTrue : jumpFalse
    else throw new Error(`unknown opcode ${code}`)
    pc += 1
  }
  throw new Error("fell off the end of the program")
}

const x64 = 0xc000003e
const arm64 = 0xc00000b7

describe("seccomp filter", () => {
  const filters = { x64: buildSeccompFilter("x64"), arm64: buildSeccompFilter("arm64") }

  it("refuses every denied syscall with EPERM on both architectures", () => {
    for (const [name, x64Number, arm64Number] of deniedSyscalls) {
      if (x64Number !== undefined)
        assert.equal(decide(filters.x64, { arch: x64, nr: x64Number }), errno(1), name)
      if (arm64Number !== undefined) {
        assert.equal(decide(filters.arm64, { arch: arm64, nr: arm64Number }), errno(1), name)
      }
    }
  })

  it("allows ordinary syscalls (read, write, openat, execve, plain clone)", () => {
    for (const nr of [0, 1, 257, 59]) assert.equal(decide(filters.x64, { arch: x64, nr }), allow)
    for (const nr of [63, 64, 56, 221]) assert.equal(decide(filters.arm64, { arch: arm64, nr }), allow)
    const cloneThread = 0x3d0f00 // CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD...
    assert.equal(decide(filters.x64, { arch: x64, nr: 56, args: [cloneThread] }), allow)
  })

  it("kills a foreign architecture and refuses x32 calls", () => {
    assert.equal(decide(filters.x64, { arch: 0x40000003, nr: 1 }), kill) // i386 compat
    assert.equal(decide(filters.x64, { arch: arm64, nr: 1 }), kill)
    assert.equal(decide(filters.x64, { arch: x64, nr: 0x40000000 + 1 }), errno(38))
  })

  it("refuses clone with namespace flags, clone3 with ENOSYS, and terminal injection ioctls", () => {
    for (const flag of [0x10000000, 0x20000000, 0x40000000, 0x00020000, 0x08000000, 0x04000000, 0x02000000]) {
      assert.equal(decide(filters.x64, { arch: x64, nr: 56, args: [flag | 17] }), errno(1))
      assert.equal(decide(filters.arm64, { arch: arm64, nr: 220, args: [flag] }), errno(1))
    }
    assert.equal(decide(filters.x64, { arch: x64, nr: 435 }), errno(38))
    assert.equal(decide(filters.x64, { arch: x64, nr: 16, args: [0, 0x5412] }), errno(1))
    assert.equal(decide(filters.x64, { arch: x64, nr: 16, args: [0, 0x541c] }), errno(1))
    assert.equal(decide(filters.x64, { arch: x64, nr: 16, args: [0, 0x5401] }), allow) // TCGETS
  })

  it("stays within the classic BPF size limit", () => {
    assert.ok(filters.x64.length / 8 < 4096)
    assert.equal(filters.x64.length % 8, 0)
  })
})
