import assert from "node:assert/strict"
import { test } from "node:test"
import { isAppError } from "@xionimus/kit"
import { argon2Parameters, checkPasswordStrength, createPasswordHasher } from "../src/index.ts"

const weakness = (password: string, email?: string): string[] => {
  try {
    checkPasswordStrength(password, email ? { email } : {})
    return []
  } catch (error) {
    assert.ok(isAppError(error) && error.code === "PASSWORD_WEAK")
    return (error.details as { problems: string[] }).problems
  }
}

test("password strength: length floor, variety, common and sequential passwords, the e-mail inside", () => {
  assert.deepEqual(weakness("correct horse battery staple"), [])
  assert.deepEqual(weakness("Tr0ub4dor&3x!"), [])
  assert.match(weakness("short")[0]!, /at least 12/)
  assert.match(weakness("aaaaaaaaaaaaaaaa").join(), /different characters/)
  assert.match(weakness("passwordpassword").join(), /common/)
  assert.match(weakness("abcdefghijklmnop").join(), /common or predictable/)
  assert.match(weakness("alice-is-my-password", "alice@example.test").join(), /e-mail/)
  assert.deepEqual(weakness("a long enough passphrase", "bob@example.test"), [])
})

test("argon2id with the OWASP parameters: hashes verify, wrong passwords and malformed hashes do not", async () => {
  const hasher = createPasswordHasher()
  const hash = await hasher.hash("correct horse battery staple")
  assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
  assert.deepEqual(argon2Parameters, { memoryCost: 19_456, timeCost: 2, parallelism: 1 })
  assert.equal(await hasher.verify(hash, "correct horse battery staple"), true)
  assert.equal(await hasher.verify(hash, "correct horse battery stapler"), false)
  assert.equal(await hasher.verify("not a hash", "anything"), false)
  assert.notEqual(await hasher.hash("correct horse battery staple"), hash, "each hash has its own salt")
  await hasher.waste("anything")
})
