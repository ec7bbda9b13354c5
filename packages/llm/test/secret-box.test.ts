import assert from "node:assert/strict"
import { randomBytes } from "node:crypto"
import { test } from "node:test"
import { createSecretBox } from "@xionimus/llm"

test("AES-256-GCM: round trip, fresh IV each time, bound to its context", () => {
  const box = createSecretBox(randomBytes(32))
  const sealed = box.seal("sk-secret-value", "user:usr_1:openai")
  assert.equal(box.open(sealed, "user:usr_1:openai"), "sk-secret-value")
  assert.notEqual(box.seal("sk-secret-value", "user:usr_1:openai"), sealed)
  assert.ok(!Buffer.from(sealed, "base64").includes("sk-secret-value"))
  assert.throws(() => box.open(sealed, "user:usr_2:openai"), { code: "SECRETS_KEY_INVALID" })
})

test("a tampered ciphertext or another key is refused", () => {
  const box = createSecretBox(randomBytes(32))
  const bytes = Buffer.from(box.seal("value", "c"), "base64")
  bytes[bytes.length - 1]! ^= 1
  assert.throws(() => box.open(bytes.toString("base64"), "c"), { code: "SECRETS_KEY_INVALID" })
  assert.throws(() => createSecretBox(randomBytes(32)).open(box.seal("value", "c"), "c"), {
    code: "SECRETS_KEY_INVALID",
  })
  assert.throws(() => createSecretBox(randomBytes(16)), { code: "SECRETS_KEY_INVALID" })
})
