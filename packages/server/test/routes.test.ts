// Every route test runs in this one process, so that the last test can check that each operation of the
// OpenAPI document was exercised (and that no request reached a route the document does not list).
import assert from "node:assert/strict"
import { test } from "node:test"
import { accessMatrixTests } from "./routes/access-matrix.ts"
import { accountDeletionTests } from "./routes/account-deletion.ts"
import { accountSettingsTests } from "./routes/account-settings.ts"
import { apiKeyTests } from "./routes/api-keys.ts"
import { auditLogTests } from "./routes/audit-log.ts"
import { authTests, rateLimitTests } from "./routes/auth.ts"
import { authSessionTests } from "./routes/auth-sessions.ts"
import { errorTests } from "./routes/errors.ts"
import { execTests } from "./routes/exec.ts"
import { fileTests } from "./routes/files.ts"
import { githubLoginTests } from "./routes/github-login.ts"
import { healthTests } from "./routes/health.ts"
import { importTests } from "./routes/import.ts"
import { keyRotationTests } from "./routes/key-rotation.ts"
import { metaTests } from "./routes/meta.ts"
import { modelTests } from "./routes/models.ts"
import { networkTests } from "./routes/network.ts"
import { oidcTests } from "./routes/oidc.ts"
import { projectTests } from "./routes/projects.ts"
import { quotaTests } from "./routes/quotas.ts"
import { streamTests } from "./routes/streams.ts"
import { teamTests } from "./routes/teams.ts"
import { accountExportTests, totpTests, twoFactorPolicyTests } from "./routes/totp.ts"
import { transferTests } from "./routes/transfer.ts"
import { userTests } from "./routes/users.ts"
import { websocketTests } from "./routes/websocket.ts"
import { exercisedRoutes } from "./support/route-coverage.ts"
import { createTestApp } from "./support/test-app.ts"

healthTests()
metaTests()
projectTests()
importTests()
fileTests()
transferTests()
streamTests()
websocketTests()
errorTests()
execTests()
authTests()
authSessionTests()
apiKeyTests()
userTests()
auditLogTests()
rateLimitTests()
accessMatrixTests()
teamTests()
totpTests()
accountExportTests()
twoFactorPolicyTests()
oidcTests()
githubLoginTests()
quotaTests()
accountDeletionTests()
accountSettingsTests()
networkTests()
keyRotationTests()
modelTests()

/** Routes outside the API document: the web client (static files and the page shown without a build). */
const outsideTheDocument = new Set(["GET /", "GET /*", "HEAD /*"])

test("every operation in the OpenAPI document was exercised above, and nothing else was", async () => {
  const harness = await createTestApp({ record: false })
  try {
    const document = (await harness.app.inject({ method: "GET", url: "/api/openapi.json" })).json() as {
      paths: Record<string, Record<string, unknown>>
    }
    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    )
    // A floor, so that an empty or truncated document cannot pass.
    assert.ok(documented.size >= 25, `only ${documented.size} operations documented`)
    const missing = [...documented].filter((route) => !exercisedRoutes.has(route)).sort()
    assert.deepEqual(missing, [], "documented routes no test exercised")
    const undocumented = [...exercisedRoutes]
      .filter((route) => !documented.has(route) && !outsideTheDocument.has(route))
      .sort()
    assert.deepEqual(undocumented, [], "routes reached by tests but missing from the OpenAPI document")
  } finally {
    await harness.close()
  }
})
