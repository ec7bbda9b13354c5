import { after, before } from "node:test"
import type { TestApp } from "./test-app.ts"

/**
 * One test app shared by the tests of the enclosing suite (or file): `open` runs in `before`, the app is
 * closed in `after`, then `closed` runs (a scripted model's `verify`, say). The returned object reads the
 * app opened in `before`, so it can be taken where the suite is declared.
 */
export function sharedTestApp(open: () => Promise<TestApp>, closed?: () => void): TestApp {
  let opened: TestApp | undefined
  before(async () => {
    opened = await open()
  })
  after(async () => {
    await opened?.close()
    closed?.()
  })
  const current = (): TestApp => {
    if (!opened) throw new Error("the shared test app is opened in before(): use it inside a test or hook")
    return opened
  }
  return {
    get app() {
      return current().app
    },
    get services() {
      return current().services
    },
    get config() {
      return current().config
    },
    get dataDir() {
      return current().dataDir
    },
    get logger() {
      return current().logger
    },
    get ownerKey() {
      return current().ownerKey
    },
    get ownerHeaders() {
      return current().ownerHeaders
    },
    get ownerId() {
      return current().ownerId
    },
    close: () => current().close(),
  }
}
