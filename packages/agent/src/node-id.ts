import { randomUUID } from "node:crypto"
import { hostname } from "node:os"

/**
 * A turn lease holder's id: `<kind>:<host>:<pid>:<random>`. Naming the host and process lets a node
 * that restarts on the same machine see at once that a lease's holder is gone, instead of waiting for
 * the lease to run out.
 */
export function nodeIdFor(kind: string): string {
  return `${kind}:${hostname()}:${process.pid}:${randomUUID()}`
}

/**
 * True when the holder ran on this host as a process that no longer exists. False when it may still
 * run (another host, a live pid, or an id without host and pid): its lease then ends by expiry. A pid
 * reused by another process only delays recovery until the lease expires.
 */
export function holderIsGone(nodeId: string): boolean {
  const [, host, pidText] = nodeId.split(":")
  const pid = Number(pidText)
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false
  try {
    process.kill(pid, 0)
    return false
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH"
  }
}
