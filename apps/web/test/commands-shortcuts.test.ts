// Keyboard shortcuts of the action registry: parsing, matching per platform, display, the reserved
// editor keys, and the one window listener (plain keys stay with text fields, handled keys are left alone).
import assert from "node:assert/strict"
import { test } from "node:test"
import { createActionRegistry } from "../src/lib/actions.ts"
import {
  formatShortcut,
  installShortcuts,
  isReservedShortcut,
  matchesShortcut,
  normalizeShortcut,
} from "../src/lib/shortcuts.ts"

const key = (overrides: Partial<KeyboardEvent> & { key: string }) => ({
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  code: "",
  ...overrides,
})

test("a shortcut matches Ctrl elsewhere and Cmd on macOS, with exactly its modifiers", () => {
  assert.equal(matchesShortcut(key({ key: "k", code: "KeyK", ctrlKey: true }), "mod+k", false), true)
  assert.equal(matchesShortcut(key({ key: "k", code: "KeyK", metaKey: true }), "mod+k", true), true)
  assert.equal(matchesShortcut(key({ key: "k", code: "KeyK", ctrlKey: true }), "mod+k", true), false)
  assert.equal(
    matchesShortcut(key({ key: "K", code: "KeyK", ctrlKey: true, shiftKey: true }), "mod+k", false),
    false,
  )
  assert.equal(matchesShortcut(key({ key: "k", code: "KeyK" }), "mod+k", false), false)
  // macOS turns Alt+Shift+N into "˜": the physical key decides.
  assert.equal(
    matchesShortcut(key({ key: "˜", code: "KeyN", altKey: true, shiftKey: true }), "alt+shift+n", true),
    true,
  )
  assert.equal(matchesShortcut(key({ key: ".", code: "Period", ctrlKey: true }), "mod+.", false), true)
})

test("shortcuts are shown per platform and spelled one way", () => {
  assert.equal(formatShortcut("mod+k", false), "Ctrl+K")
  assert.equal(formatShortcut("mod+k", true), "⌘K")
  assert.equal(formatShortcut("alt+shift+n", false), "Alt+Shift+N")
  assert.equal(formatShortcut("alt+shift+n", true), "⌥⇧N")
  assert.equal(normalizeShortcut("Shift+Mod+K"), "mod+shift+k")
  assert.throws(() => normalizeShortcut("hyper+k"), /unknown modifier/)
})

test("the registry refuses the editor's keys and a second owner of a shortcut", () => {
  const registry = createActionRegistry()
  assert.equal(isReservedShortcut("Mod+S"), true)
  assert.throws(
    () => registry.register({ id: "save", title: "x", shortcut: "mod+s", run: () => {} }),
    /belongs to/,
  )
  assert.throws(
    () => registry.register({ id: "find", title: "x", shortcut: "mod+f", run: () => {} }),
    /belongs to/,
  )
  registry.register({ id: "a", title: "x", shortcut: "mod+k", run: () => {} })
  assert.throws(
    () => registry.register({ id: "b", title: "x", shortcut: "Mod+K", run: () => {} }),
    /already a's/,
  )
  // The same action registered again (a remount) replaces itself.
  registry.register({ id: "a", title: "y", shortcut: "mod+k", run: () => {} })
  assert.equal(registry.available()[0]?.title, "y")
})

function fakeWindow() {
  let listener: ((event: KeyboardEvent) => void) | undefined
  return {
    addEventListener: (_type: string, handler: (event: KeyboardEvent) => void) => {
      listener = handler
    },
    removeEventListener: () => {
      listener = undefined
    },
    press(overrides: Record<string, unknown>) {
      let prevented = Boolean(overrides.defaultPrevented)
      const event = {
        ...key({ key: "" }),
        isComposing: false,
        target: null,
        ...overrides,
        preventDefault: () => {
          prevented = true
        },
      }
      listener?.(event as unknown as KeyboardEvent)
      return prevented
    },
    get listening() {
      return listener !== undefined
    },
  }
}

test("one listener runs the available action of a shortcut", () => {
  const registry = createActionRegistry()
  const ran: string[] = []
  let stopAvailable = false
  registry.register({ id: "palette", title: "x", shortcut: "mod+k", run: () => ran.push("palette") })
  registry.register({
    id: "stop",
    title: "x",
    shortcut: "mod+.",
    when: () => stopAvailable,
    run: () => ran.push("stop"),
  })
  registry.register({ id: "plain", title: "x", shortcut: "?", run: () => ran.push("plain") })
  const window = fakeWindow()
  const dispose = installShortcuts(window as unknown as Window, registry.available, false)
  const textarea = { tagName: "TEXTAREA" }

  assert.equal(window.press({ key: "k", code: "KeyK", ctrlKey: true, target: textarea }), true)
  assert.equal(window.press({ key: ".", code: "Period", ctrlKey: true }), false, "stop is not available")
  stopAvailable = true
  window.press({ key: ".", code: "Period", ctrlKey: true })
  assert.equal(window.press({ key: "?", target: textarea }), false, "a plain key in a text field is typing")
  window.press({ key: "?", target: { tagName: "DIV" } })
  assert.equal(window.press({ key: "k", code: "KeyK", ctrlKey: true, defaultPrevented: true }), true)
  assert.deepEqual(ran, ["palette", "stop", "plain"], "a key the editor handled is left alone")
  dispose()
  assert.equal(window.listening, false)
})
