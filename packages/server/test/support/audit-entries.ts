import type { TestApp } from "./test-app.ts"

/** The newest audit entries of `action` (up to 50), straight from the store. */
export async function auditEntries(harness: TestApp, action: string) {
  return (await harness.services.store.auth.listAudit({ action, limit: 50 })).items
}
