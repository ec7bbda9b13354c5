// Secrets-key rotation: a new key becomes current, stored secrets are sealed again, a running server
// follows the keyring file, and the replaced key opens old ciphertexts only until its grace period ends.
import assert from "node:assert/strict"
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, describe, test } from "node:test"
import { Config } from "@xionimus/config"
import { silentLogger } from "@xionimus/kit"
import { createSecretBox } from "@xionimus/llm"
import { Secret, TOTP } from "otpauth"
import { createServices, rotateSecretsKey, type Services, secretsKeyStatus } from "../src/index.ts"
import { createKeyringBox } from "../src/secrets/keyring-box.ts"
import { keyIdOf, legacyKey } from "../src/secrets/secrets-keyring.ts"

const hour = 3_600_000

describe("secrets-key rotation", () => {
  let dir: string
  let config: Config
  let services: Services
  let userId: string
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "xionimus-secrets-"))
    config = Config.parse({ dataDir: dir, log: { level: "silent" }, server: { webDir: join(dir, "web") } })
    services = await createServices(config, silentLogger())
    const user = await services.auth.createUser(
      { email: "keys@example.test", password: "a long enough passphrase", admin: true },
      { userId: null, keyId: null, ip: null, userAgent: null },
    )
    userId = user.id
  })
  after(async () => {
    await services.close()
    await rm(dir, { recursive: true, force: true })
  })

  const stored = async () =>
    Object.fromEntries(
      (await services.store.accountPolicies.sealedSecrets()).map((secret) => [
        secret.kind,
        secret.ciphertext,
      ]),
    )

  test("provider keys and TOTP secrets are sealed with the key's id; the running server follows a rotation", async () => {
    await services.llm.putSetting(
      { kind: "user", id: userId },
      { providerId: "openai", type: "openai", apiKey: "sk-rotation-test-1234" },
    )
    const { secret: totpSecret } = await services.totp.begin({ id: userId, email: "keys@example.test" })
    const firstKey = keyIdOf(legacyKey(undefined, dir))
    const before = await stored()
    assert.match(before["provider-key"]!, new RegExp(`^v1:${firstKey}:`))
    assert.match(before["totp-secret"]!, new RegExp(`^v1:${firstKey}:`))
    assert.ok(!before["totp-secret"]!.includes(totpSecret))

    const rotated = await rotateSecretsKey(config, 24 * hour)
    assert.notEqual(rotated.keyId, firstKey)
    assert.deepEqual([rotated.reencrypted, rotated.current, rotated.failed], [2, 0, []])
    assert.deepEqual(
      rotated.retiring.map((entry) => entry.id),
      [firstKey],
    )
    const after = await stored()
    assert.match(after["provider-key"]!, new RegExp(`^v1:${rotated.keyId}:`))
    assert.match(after["totp-secret"]!, new RegExp(`^v1:${rotated.keyId}:`))
    assert.equal((await stat(join(dir, "secret-keys.json"))).mode & 0o777, 0o600)

    // The server opened before the rotation reads the new ciphertexts and seals with the new key.
    assert.equal((await services.llm.providersFor(userId)).openai?.apiKey, "sk-rotation-test-1234")
    const code = new TOTP({
      secret: Secret.fromBase32(totpSecret),
      digits: 6,
      period: 30,
      algorithm: "SHA1",
    }).generate()
    await services.totp.confirm(userId, code)
    assert.equal(await services.totp.isEnabled(userId), true)
    await services.llm.putSetting(
      { kind: "user", id: userId },
      { providerId: "groq", type: "openai-compatible", preset: "groq", apiKey: "gsk-after-rotation" },
    )
    const groq = (await services.store.providerSettings.get("user", userId, "groq"))!.keyCiphertext!
    assert.match(groq, new RegExp(`^v1:${rotated.keyId}:`))
    const status = secretsKeyStatus(config, dir)
    assert.equal(status.current, rotated.keyId)
    assert.ok(status.keys.some((key) => key.id === firstKey && key.retireAt !== null))
    const audit = await services.auth.listAudit({ action: "secrets.rotated", limit: 5 })
    assert.equal(audit.items[0]?.target, rotated.keyId)
  })

  test("the replaced key opens old ciphertexts during the grace period only; older formats are sealed again", async () => {
    // A ciphertext from before key ids (bare base64), sealed with the current key, and a readable TOTP secret.
    const status = secretsKeyStatus(config, dir)
    const box = createKeyringBox(undefined, dir)
    const oldKeyId = status.keys.find((key) => !key.current)!.id
    const keyring = JSON.parse(await readFile(join(dir, "secret-keys.json"), "utf8")) as {
      keys: { id: string; key: string }[]
    }
    const oldKey = Buffer.from(keyring.keys.find((key) => key.id === oldKeyId)!.key, "base64")
    const sealedWithOld = `v1:${oldKeyId}:${createSecretBox(oldKey).seal("old secret", "ctx")}`
    const bare = createSecretBox(oldKey).seal("bare secret", "ctx")
    assert.equal(box.open(sealedWithOld, "ctx"), "old secret")
    assert.equal(box.open(bare, "ctx"), "bare secret")
    const later = createKeyringBox(undefined, dir, () => new Date(Date.now() + 25 * hour))
    assert.throws(() => later.open(sealedWithOld, "ctx"), { code: "SECRETS_KEY_INVALID" })
    assert.throws(() => later.open(bare, "ctx"), { code: "SECRETS_KEY_INVALID" })
    assert.equal(later.open(box.seal("new secret", "ctx"), "ctx"), "new secret")

    // Stored in the old forms, re-encryption seals them with the current key.
    const secrets = await services.store.accountPolicies.sealedSecrets()
    const provider = secrets.find((secret) => secret.id === `user:${userId}:openai`)!
    const totp = secrets.find((secret) => secret.kind === "totp-secret")!
    await services.store.accountPolicies.replaceSealed(
      provider,
      createSecretBox(oldKey).seal("sk-rotation-test-1234", provider.context),
    )
    await services.store.accountPolicies.replaceSealed(totp, "JBSWY3DPEHPK3PXP")
    const rotated = await rotateSecretsKey(config, 0)
    assert.deepEqual(rotated.failed, [])
    assert.equal(rotated.reencrypted, 3)
    for (const secret of await services.store.accountPolicies.sealedSecrets())
      assert.match(secret.ciphertext, new RegExp(`^v1:${rotated.keyId}:`))
    assert.equal((await services.llm.providersFor(userId)).openai?.apiKey, "sk-rotation-test-1234")
    // With no grace, the replaced keys are gone at once; the configured secret.key with them.
    assert.deepEqual(
      secretsKeyStatus(config, dir).keys.map((key) => key.id),
      [rotated.keyId],
    )
    assert.throws(() => createKeyringBox(undefined, dir).open(sealedWithOld, "ctx"), {
      code: "SECRETS_KEY_INVALID",
    })
  })

  test("a corrupt keyring file is refused with SECRETS_KEY_INVALID, not read as empty", async () => {
    const path = join(dir, "secret-keys.json")
    const saved = await readFile(path, "utf8")
    await writeFile(path, "{ not json")
    try {
      assert.throws(() => secretsKeyStatus(config, dir), { code: "SECRETS_KEY_INVALID" })
    } finally {
      await writeFile(path, saved)
    }
  })
})
