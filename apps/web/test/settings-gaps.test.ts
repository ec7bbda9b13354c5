import assert from "node:assert/strict"
import { test } from "node:test"
import type { UserPreferences } from "@xionimus/protocol"
import { ApiError } from "@xionimus/sdk"
import type { Locale } from "../src/i18n/translate.ts"
import { createStore } from "../src/lib/store.ts"
import { daysInOrder, daysOfRange, rangeOfDays } from "../src/screens/settings/audit-range.ts"
import { createDefaultModel, type PreferencesPort } from "../src/stores/settings-default-model.ts"

function memoryStorage(initial: Record<string, string> = {}): Storage {
  const items = new Map(Object.entries(initial))
  return {
    get length() {
      return items.size
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, value),
  }
}

/** A server keeping preferences like /api/me/preferences does, refusing models it does not know. */
function fakeServer(saved: UserPreferences, known: string[]) {
  const sent: Record<string, unknown>[] = []
  const port: PreferencesPort = {
    preferences: async () => ({ ...saved }),
    async setPreferences(input) {
      sent.push(input)
      if (input.defaultModel && !known.includes(input.defaultModel))
        throw new ApiError("MODEL_NOT_FOUND", "not yours", { status: 400 })
      Object.assign(saved, input)
      return { ...saved }
    },
  }
  return { port, sent, saved }
}

function fakeSettings(locale: Locale) {
  const state = createStore({ locale })
  return { state, setLocale: (next: Locale) => state.patch({ locale: next }) }
}

test("the default model comes from the server; this browser's copy is only a cache", async () => {
  const storage = memoryStorage({ "xionimus.defaultModel": "old/cached" })
  const server = fakeServer({ defaultModel: "mock/coder", language: null }, ["mock/coder", "mock/writer"])
  const model = createDefaultModel(storage, server.port)
  assert.equal(model.value.get(), "old/cached", "the cache paints first")
  await model.load()
  assert.equal(model.value.get(), "mock/coder")
  assert.equal(storage.getItem("xionimus.defaultModel"), "mock/coder")

  assert.equal(await model.set("mock/writer"), null)
  assert.equal(server.saved.defaultModel, "mock/writer")
  assert.equal(storage.getItem("xionimus.defaultModel"), "mock/writer")

  const refused = await model.set("gone/model")
  assert.equal(refused?.code, "MODEL_NOT_FOUND")
  assert.equal(model.value.get(), "mock/writer", "a refused choice is not kept")
  assert.equal(server.saved.defaultModel, "mock/writer")

  assert.equal(await model.set(null), null)
  assert.equal(storage.getItem("xionimus.defaultModel"), null)
  model.dispose()
})

test("a server that cannot be reached leaves the cached choice", async () => {
  const storage = memoryStorage({ "xionimus.defaultModel": "mock/coder" })
  const model = createDefaultModel(storage, {
    preferences: () => Promise.reject(new ApiError("NETWORK", "offline", { status: 0 })),
    setPreferences: () => Promise.reject(new ApiError("NETWORK", "offline", { status: 0 })),
  })
  await model.load()
  assert.equal(model.value.get(), "mock/coder")
})

test("the saved language is applied at start, and a change of language is saved", async () => {
  const server = fakeServer({ defaultModel: null, language: "de" }, [])
  const settings = fakeSettings("en")
  const model = createDefaultModel(memoryStorage(), server.port, settings)
  await model.load()
  assert.equal(settings.state.get().locale, "de")
  assert.deepEqual(server.sent, [], "applying the saved language saves nothing")
  settings.setLocale("en")
  assert.deepEqual(server.sent, [{ language: "en" }])
  settings.setLocale("en")
  assert.equal(server.sent.length, 1, "an unchanged language is not sent again")
  model.dispose()
  settings.setLocale("de")
  assert.equal(server.sent.length, 1, "nothing is sent after dispose")
})

test("the audit range covers whole local days, both included, and reads back as the same days", () => {
  const range = rangeOfDays("2026-05-02", "2026-05-03")
  assert.equal(new Date(range.from!).getTime(), new Date(2026, 4, 2).getTime())
  assert.equal(
    new Date(range.to!).getTime(),
    new Date(2026, 4, 4).getTime(),
    "the end is the next day's start",
  )
  assert.deepEqual(daysOfRange(range), { fromDay: "2026-05-02", toDay: "2026-05-03" })
  assert.deepEqual(rangeOfDays("", ""), {})
  assert.deepEqual(Object.keys(rangeOfDays("2026-05-02", "")), ["from"])
  assert.deepEqual(daysOfRange({}), { fromDay: "", toDay: "" })
  assert.equal(daysInOrder("2026-05-03", "2026-05-02"), false)
  assert.equal(daysInOrder("2026-05-02", "2026-05-02"), true)
  assert.equal(daysInOrder("", "2026-05-02"), true)
})
