// The engine's reasons (gates, blocked packages, a run's end) are codes with params beside their English
// text: every code has an English and a German text with the same params, and the web shows the text of
// the page's language, the engine's English for a code it does not know.
import assert from "node:assert/strict"
import { readdir, readFile } from "node:fs/promises"
import { join } from "node:path"
import { test } from "node:test"
import { runReason, runReasonCodes, runReasonTexts } from "@xionimus/protocol"
import { orchestraDe } from "../src/i18n/orchestra-de.ts"
import { orchestraEn } from "../src/i18n/orchestra-en.ts"
import { translate } from "../src/i18n/translate.ts"
import { reasonKey, reasonText } from "../src/stores/orchestra-reason.ts"

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort()
const german = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
  translate("de", key, params)

test("every reason code has an English and a German text with the same params", () => {
  assert.ok(runReasonCodes.length >= 20)
  for (const code of runReasonCodes) {
    const key = reasonKey(code) as keyof typeof orchestraEn
    const english = orchestraEn[key]
    const deutsch = orchestraDe[key]
    assert.equal(english, runReasonTexts[code], `${code}: the web's English is the engine's`)
    assert.ok(deutsch?.trim(), `${code} has a German text`)
    assert.notEqual(deutsch, english, `${code}: the German text is German`)
    assert.deepEqual(placeholders(deutsch), placeholders(english), `${code}: the same params`)
  }
})

test("every code the engine's source names is one of the catalogue's", async () => {
  const folder = new URL("../../../packages/agent/src/orchestra/", import.meta.url).pathname
  const named = new Set<string>()
  for (const file of (await readdir(folder)).filter((name) => name.endsWith(".ts"))) {
    const source = await readFile(join(folder, file), "utf8")
    for (const match of source.matchAll(/runReason\(\s*"([^"]+)"/g)) named.add(match[1]!)
    // The budget gate's code is built from the limit reached.
    for (const match of source.matchAll(/runReason\(\s*`([^`$]+)\$\{/g))
      assert.ok(
        runReasonCodes.some((code) => code.startsWith(match[1]!)),
        `codes starting ${match[1]} exist`,
      )
  }
  assert.ok(named.size >= 20, `found ${named.size} codes in the engine`)
  for (const code of named)
    assert.ok((runReasonCodes as string[]).includes(code), `${code} is in the catalogue`)
})

test("a gate's reason in German, a coded cause inside it translated too; unknown and absent codes stay English", () => {
  const review = runReason("gate.review", { packageId: "pkg_1" })
  assert.equal(
    reasonText(german, review),
    "Der Reviewer hat pkg_1 freigegeben; ein Mensch prüft es, bevor es zusammengeführt wird.",
  )
  assert.equal(
    reasonText((key, params) => translate("en", key, params), review),
    review.text,
  )

  const cause = runReason("package.modelCalls", { limit: 30 })
  const stuck = runReason("gate.stuck.blocked", {
    packageId: "pkg_2",
    cause: cause.text,
    causeCode: cause.code,
    ...cause.params,
  })
  assert.equal(
    stuck.text,
    "pkg_2 is blocked: It used its 30 model calls. Approve to let it go on, or reject to cancel it.",
  )
  assert.equal(
    reasonText(german, stuck),
    "pkg_2 ist blockiert: Es hat seine 30 Modellaufrufe verbraucht. Freigeben, damit es weitergeht, oder ablehnen, um es abzubrechen.",
  )
  // A cause without a code (a guard's reason) is quoted in English inside the German text.
  const guarded = runReason("gate.stuck.blocked", { packageId: "pkg_3", cause: "the review gate is open." })
  assert.match(reasonText(german, guarded), /^pkg_3 ist blockiert: the review gate is open\. Freigeben/)

  assert.equal(
    reasonText(german, { text: "From a newer server.", code: "gate.future" }),
    "From a newer server.",
  )
  assert.equal(reasonText(german, { text: "changes requested: rename it" }), "changes requested: rename it")
})
