// The composer's slash commands against a scripted chat: each calls the chat's real operation and says
// what happened; unknown commands list the known ones.
import assert from "node:assert/strict"
import { test } from "node:test"
import { translate } from "../src/i18n/translate.ts"
import { runSlashCommand, type SlashCommandDeps } from "../src/screens/chat/slash-command-runner.ts"
import { parseSlashCommand } from "../src/screens/chat/slash-commands.ts"

function fakeChat(overrides: Partial<SlashCommandDeps> = {}) {
  const calls: string[] = []
  const deps: SlashCommandDeps = {
    t: (key, params) => translate("en", key, params),
    send: async (text) => {
      calls.push(`send:${text}`)
      return true
    },
    undoLast: async () => {
      calls.push("undo")
      return "Fix the failing test"
    },
    busy: () => false,
    fork: async () => {
      calls.push("fork")
    },
    openShare: () => calls.push("share"),
    download: (format) => calls.push(`download:${format}`),
    model: () => null,
    models: async () => ["mock/coder", "mock/writer"],
    setModel: async (model) => {
      calls.push(`model:${model}`)
    },
    compact: async () => {
      calls.push("compact")
      return { compacted: false, tokensBefore: null, tokensAfter: null }
    },
    ...overrides,
  }
  return { deps, calls }
}

async function run(input: string, overrides: Partial<SlashCommandDeps> = {}) {
  const { deps, calls } = fakeChat(overrides)
  const parsed = parseSlashCommand(input)
  assert.notEqual(parsed.kind, "text")
  const outcome = await runSlashCommand(parsed as Exclude<typeof parsed, { kind: "text" }>, deps)
  return { outcome, calls }
}

test("an unknown command keeps the text and lists the commands", async () => {
  const { outcome, calls } = await run("/deploy now")
  assert.equal(outcome.kind, "keep")
  assert.match(
    outcome.kind === "keep" ? outcome.text : "",
    /“\/deploy” is not a command.*\/run, \/test, .*\/help/,
  )
  assert.deepEqual(calls, [])
})

test("/run and /test ask the agent, with the given command when there is one", async () => {
  const plain = await run("/test")
  assert.deepEqual(plain.outcome, { kind: "done" })
  assert.match(plain.calls[0] ?? "", /^send:Run this project's tests with its usual test command/)
  const given = await run("/run npm start -- --port 3000")
  assert.deepEqual(given.calls, [
    "send:Run `npm start -- --port 3000` in the project and tell me what happens.",
  ])
  const refused = await run("/run", { send: async () => false })
  assert.equal(refused.outcome.kind, "keep")
})

test("/undo rewinds the last message, not while a turn runs", async () => {
  const done = await run("/undo")
  assert.deepEqual(done.calls, ["undo"])
  assert.match(done.outcome.kind === "notice" ? done.outcome.text : "", /Rewound “Fix the failing test”/)
  const busy = await run("/undo", { busy: () => true })
  assert.deepEqual(busy.calls, [])
  assert.equal(busy.outcome.kind === "notice" && busy.outcome.tone, "error")
  const nothing = await run("/undo", { undoLast: async () => undefined })
  assert.match(nothing.outcome.kind === "notice" ? nothing.outcome.text : "", /no message to rewind/)
})

test("/fork, /share and /export do what their buttons do", async () => {
  assert.deepEqual((await run("/fork")).calls, ["fork"])
  assert.deepEqual((await run("/share")).calls, ["share"])
  assert.deepEqual((await run("/export")).calls, ["download:json"])
  assert.deepEqual((await run("/export md")).calls, ["download:markdown"])
  const wrong = await run("/export pdf")
  assert.deepEqual(wrong.calls, [])
  assert.equal(wrong.outcome.kind, "keep")
})

test("/model shows, sets by full or short name, and refuses an unknown one", async () => {
  const shown = await run("/model", { model: () => "mock/coder" })
  assert.match(
    shown.outcome.kind === "notice" ? shown.outcome.text : "",
    /Model: mock\/coder\..*mock\/writer/,
  )
  assert.deepEqual((await run("/model writer")).calls, ["model:mock/writer"])
  assert.deepEqual((await run("/model mock/coder")).calls, ["model:mock/coder"])
  assert.deepEqual((await run("/model default")).calls, ["model:null"])
  const unknown = await run("/model gpt-9")
  assert.deepEqual(unknown.calls, [])
  assert.equal(unknown.outcome.kind, "keep")
})

test("/help lists every command with its description; /compact compacts now", async () => {
  const help = await run("/help")
  assert.equal(help.outcome.kind, "notice")
  const lines = help.outcome.kind === "notice" ? (help.outcome.lines ?? []) : []
  assert.equal(lines.length, 9)
  assert.ok(lines.includes("/undo — rewind the last message and its changes"))
  const compacted = await run("/compact", {
    compact: async () => ({ compacted: true, tokensBefore: 90000, tokensAfter: 20000 }),
  })
  assert.match(
    compacted.outcome.kind === "notice" ? compacted.outcome.text : "",
    /from about 90000 to 20000 tokens/,
  )
  const nothing = await run("/compact")
  assert.deepEqual(nothing.calls, ["compact"])
  assert.match(nothing.outcome.kind === "notice" ? nothing.outcome.text : "", /Nothing to compact yet/)
  const busy = await run("/compact", { busy: () => true })
  assert.deepEqual(busy.calls, [], "a running turn compacts by itself")
})

test("German texts for the same outcomes", async () => {
  const { deps } = fakeChat({ t: (key, params) => translate("de", key, params) })
  const outcome = await runSlashCommand({ kind: "unknown", name: "x" }, deps)
  assert.match(outcome.kind === "keep" ? outcome.text : "", /„\/x“ ist kein Befehl/)
})
