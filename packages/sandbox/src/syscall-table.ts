/** The architectures our seccomp filter knows, with the kernel's AUDIT_ARCH value for each. */
export const architectures = {
  x64: { audit: 0xc000003e, name: "x86_64" },
  arm64: { audit: 0xc00000b7, name: "aarch64" },
} as const

export type Architecture = keyof typeof architectures

/**
 * Syscalls a sandboxed program never needs and that widen the kernel surface it can attack or let it
 * leave its namespaces: [name, x86_64 number, aarch64 number]. Numbers from the kernel's
 * arch/x86/entry/syscalls/syscall_64.tbl and include/uapi/asm-generic/unistd.h. Undefined = no such
 * syscall on that architecture.
 */
export const deniedSyscalls: readonly (readonly [string, number | undefined, number | undefined])[] = [
  ["ptrace", 101, 117],
  ["process_vm_readv", 310, 270],
  ["process_vm_writev", 311, 271],
  ["pidfd_getfd", 438, 438],
  ["kcmp", 312, 272],
  ["mount", 165, 40],
  ["umount2", 166, 39],
  ["pivot_root", 155, 41],
  ["chroot", 161, 51],
  ["fsopen", 430, 430],
  ["fsconfig", 431, 431],
  ["fsmount", 432, 432],
  ["fspick", 433, 433],
  ["move_mount", 429, 429],
  ["open_tree", 428, 428],
  ["mount_setattr", 442, 442],
  ["unshare", 272, 97],
  ["setns", 308, 268],
  ["keyctl", 250, 219],
  ["add_key", 248, 217],
  ["request_key", 249, 218],
  ["bpf", 321, 280],
  ["userfaultfd", 323, 282],
  ["io_uring_setup", 425, 425],
  ["io_uring_enter", 426, 426],
  ["io_uring_register", 427, 427],
  ["perf_event_open", 298, 241],
  ["fanotify_init", 300, 262],
  ["open_by_handle_at", 304, 265],
  ["name_to_handle_at", 303, 264],
  ["lookup_dcookie", 212, 18],
  ["kexec_load", 246, 104],
  ["kexec_file_load", 320, 294],
  ["init_module", 175, 105],
  ["finit_module", 313, 273],
  ["delete_module", 176, 106],
  ["swapon", 167, 224],
  ["swapoff", 168, 225],
  ["reboot", 169, 142],
  ["acct", 163, 89],
  ["quotactl", 179, 60],
  ["syslog", 103, 116],
  ["vhangup", 153, 58],
  ["settimeofday", 164, 170],
  ["clock_settime", 227, 112],
  ["clock_adjtime", 305, 266],
  ["adjtimex", 159, 171],
  ["sethostname", 170, 161],
  ["setdomainname", 171, 162],
  ["iopl", 172, undefined],
  ["ioperm", 173, undefined],
]

/** Syscalls filtered by argument rather than refused outright. */
export const argumentSyscalls = {
  clone: { x64: 56, arm64: 220 },
  clone3: { x64: 435, arm64: 435 },
  ioctl: { x64: 16, arm64: 29 },
} as const
