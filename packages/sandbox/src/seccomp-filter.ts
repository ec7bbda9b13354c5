import { type Architecture, architectures, argumentSyscalls, deniedSyscalls } from "./syscall-table.ts"

// Classic BPF opcodes (linux/filter.h, linux/bpf_common.h).
const loadWordAbsolute = 0x20
const jumpIfEqual = 0x15
const jumpIfGreaterOrEqual = 0x35
const jumpIfAnyBitSet = 0x45
const returnConstant = 0x06

// seccomp return actions (linux/seccomp.h).
const allow = 0x7fff0000
const killProcess = 0x80000000
const errno = (code: number) => 0x00050000 | code
const EPERM = 1
const ENOSYS = 38

// Offsets in struct seccomp_data: nr (int), arch (u32), instruction_pointer (u64), args[6] (u64).
const nrOffset = 0
const archOffset = 4
const argumentOffset = (index: number) => 16 + 8 * index // the low 32 bits on little-endian machines

/** CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET. */
const namespaceFlags = 0x7e020000
/** x32 syscalls on x86_64 carry this bit; they would bypass a table of x86_64 numbers. */
const x32Bit = 0x40000000
const TIOCSTI = 0x5412
const TIOCLINUX = 0x541c

interface Instruction {
  code: number
  jumpTrue: number
  jumpFalse: number
  k: number
}

const statement = (code: number, k: number): Instruction => ({ code, jumpTrue: 0, jumpFalse: 0, k })
const jump = (code: number, k: number, jumpTrue: number, jumpFalse: number): Instruction => ({
  code,
  jumpTrue,
  jumpFalse,
  k,
})

/** The machine's architecture in our naming, or null when the filter cannot be built for it. */
export function hostArchitecture(): Architecture | null {
  return process.arch === "x64" || process.arch === "arm64" ? process.arch : null
}

/**
 * Builds the deny-list filter as classic BPF for `bwrap --seccomp FD`: a foreign architecture (32-bit
 * compat calls, x32) kills the process; the syscalls of deniedSyscalls fail with EPERM; clone with a
 * namespace flag fails with EPERM; clone3 fails with ENOSYS (its flags sit in memory a filter cannot read,
 * and libc then falls back to clone); TIOCSTI/TIOCLINUX ioctls (typing into a terminal) fail with EPERM.
 */
export function buildSeccompFilter(architecture: Architecture): Buffer {
  const program: Instruction[] = [
    statement(loadWordAbsolute, archOffset),
    jump(jumpIfEqual, architectures[architecture].audit, 1, 0),
    statement(returnConstant, killProcess),
    statement(loadWordAbsolute, nrOffset),
  ]
  if (architecture === "x64") {
    program.push(jump(jumpIfGreaterOrEqual, x32Bit, 0, 1), statement(returnConstant, errno(ENOSYS)))
  }
  for (const [, x64, arm64] of deniedSyscalls) {
    const number = architecture === "x64" ? x64 : arm64
    if (number === undefined) continue
    program.push(jump(jumpIfEqual, number, 0, 1), statement(returnConstant, errno(EPERM)))
  }
  program.push(
    jump(jumpIfEqual, argumentSyscalls.clone3[architecture], 0, 1),
    statement(returnConstant, errno(ENOSYS)),
    // clone: refuse namespace flags in its first argument.
    jump(jumpIfEqual, argumentSyscalls.clone[architecture], 0, 4),
    statement(loadWordAbsolute, argumentOffset(0)),
    jump(jumpIfAnyBitSet, namespaceFlags, 0, 1),
    statement(returnConstant, errno(EPERM)),
    statement(returnConstant, allow),
    // ioctl: refuse TIOCSTI and TIOCLINUX in its second argument.
    jump(jumpIfEqual, argumentSyscalls.ioctl[architecture], 0, 5),
    statement(loadWordAbsolute, argumentOffset(1)),
    jump(jumpIfEqual, TIOCSTI, 1, 0),
    jump(jumpIfEqual, TIOCLINUX, 0, 1),
    statement(returnConstant, errno(EPERM)),
    statement(returnConstant, allow),
    statement(returnConstant, allow),
  )
  return encode(program)
}

/** struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; } in the machine's byte order (little-endian here). */
function encode(program: readonly Instruction[]): Buffer {
  const buffer = Buffer.alloc(program.length * 8)
  program.forEach((instruction, index) => {
    const offset = index * 8
    buffer.writeUInt16LE(instruction.code, offset)
    buffer.writeUInt8(instruction.jumpTrue, offset + 2)
    buffer.writeUInt8(instruction.jumpFalse, offset + 3)
    buffer.writeUInt32LE(instruction.k >>> 0, offset + 4)
  })
  return buffer
}
