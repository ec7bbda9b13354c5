import assert from "node:assert/strict"
import v8 from "node:v8"
import vm from "node:vm"

/** Runs a full garbage collection, exposing `gc` for this process on first use. */
export function collectGarbage(): void {
  v8.setFlagsFromString("--expose-gc")
  const gc = vm.runInNewContext("gc") as () => void
  gc()
}

/** Fails unless the object behind `ref` is garbage-collected within a few collections. */
export async function expectCollected(ref: WeakRef<object>, what: string): Promise<void> {
  for (let round = 0; round < 20 && ref.deref() !== undefined; round++) {
    await new Promise((resolve) => setImmediate(resolve))
    collectGarbage()
  }
  assert.equal(ref.deref(), undefined, `${what} is still reachable after garbage collection`)
}
