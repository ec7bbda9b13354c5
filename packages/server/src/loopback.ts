import { isIP } from "node:net"

/** Whether a listen host is loopback only: localhost, 127.0.0.0/8, ::1 (also as ::ffff:127.x.y.z). */
export function isLoopbackHost(host: string): boolean {
  const bare = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1")
  if (bare === "localhost") return true
  if (isIP(bare) === 4) return bare.startsWith("127.")
  if (isIP(bare) === 6) {
    if (bare === "::1" || bare === "0:0:0:0:0:0:0:1") return true
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare)
    return mapped !== null && mapped[1]!.startsWith("127.")
  }
  return false
}
