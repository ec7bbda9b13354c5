/**
 * Keyboard shortcuts of the action registry: written like "mod+shift+k" ("mod" is Ctrl, or Cmd on
 * macOS), matched against key events, shown per platform. One keydown listener serves every action.
 */

export interface Shortcut {
  mod: boolean
  shift: boolean
  alt: boolean
  /** Lower case: "k", ".", "enter", "`". */
  key: string
}

/**
 * Shortcuts that belong to the focused widget, not to the app: the editor's save, search and
 * multi-cursor keys, the composer's send, the browser's clipboard and undo. The registry refuses them.
 */
export const reservedShortcuts = [
  "mod+s",
  "mod+f",
  "mod+h",
  "mod+d",
  "mod+z",
  "mod+y",
  "mod+shift+z",
  "mod+a",
  "mod+c",
  "mod+v",
  "mod+x",
  "mod+/",
  "mod+enter",
  "mod+shift+l",
  "mod+shift+k",
  "mod+alt+f",
] as const

export function parseShortcut(text: string): Shortcut {
  const parts = text.toLowerCase().split("+")
  const key = parts.pop() ?? ""
  if (!key) throw new Error(`shortcut "${text}" names no key`)
  for (const part of parts)
    if (part !== "mod" && part !== "shift" && part !== "alt")
      throw new Error(`shortcut "${text}": unknown modifier "${part}"`)
  return { mod: parts.includes("mod"), shift: parts.includes("shift"), alt: parts.includes("alt"), key }
}

/** One spelling per shortcut ("shift+mod+K" and "mod+shift+k" are the same). */
export function normalizeShortcut(text: string): string {
  const { mod, shift, alt, key } = parseShortcut(text)
  return [mod ? "mod" : "", alt ? "alt" : "", shift ? "shift" : "", key].filter(Boolean).join("+")
}

export function isReservedShortcut(text: string): boolean {
  const normalized = normalizeShortcut(text)
  return reservedShortcuts.some((reserved) => normalizeShortcut(reserved) === normalized)
}

export interface KeyLike {
  key: string
  code?: string
  ctrlKey: boolean
  metaKey: boolean
  shiftKey: boolean
  altKey: boolean
}

/** The key an event stands for: with Alt held, macOS changes `key` ("n" becomes "˜"), so letters and digits come from `code`. */
function eventKey(event: KeyLike): string {
  const code = event.code ?? ""
  if (/^Key[A-Z]$/.test(code)) return code.slice(3).toLowerCase()
  if (/^Digit\d$/.test(code)) return code.slice(5)
  return event.key.toLowerCase()
}

export function matchesShortcut(event: KeyLike, shortcut: string, mac: boolean): boolean {
  const wanted = parseShortcut(shortcut)
  const mod = mac ? event.metaKey : event.ctrlKey
  // The other of Ctrl/Cmd must not be held: Ctrl+K on a Mac is the text field's own "delete to end".
  const other = mac ? event.ctrlKey : event.metaKey
  return (
    mod === wanted.mod &&
    !other &&
    event.shiftKey === wanted.shift &&
    event.altKey === wanted.alt &&
    eventKey(event) === wanted.key
  )
}

const keyNames: Record<string, string> = { enter: "Enter", escape: "Esc", arrowup: "↑", arrowdown: "↓" }

/** "Ctrl+Shift+K" elsewhere, "⇧⌘K" on macOS. */
export function formatShortcut(shortcut: string, mac: boolean): string {
  const { mod, shift, alt, key } = parseShortcut(shortcut)
  const name = keyNames[key] ?? key.toUpperCase()
  if (mac) return `${alt ? "⌥" : ""}${shift ? "⇧" : ""}${mod ? "⌘" : ""}${name}`
  return [mod ? "Ctrl" : "", alt ? "Alt" : "", shift ? "Shift" : "", name].filter(Boolean).join("+")
}

export function isMacPlatform(navigator: { platform?: string; userAgent?: string }): boolean {
  return /mac|iphone|ipad/i.test(navigator.platform || navigator.userAgent || "")
}

/** Whether focus is in a place where plain keys are typing (a shortcut without Ctrl/Cmd/Alt must not fire). */
function typingTarget(target: EventTarget | null): boolean {
  const element = target as { tagName?: string; isContentEditable?: boolean } | null
  if (!element?.tagName) return false
  return (
    element.isContentEditable === true ||
    element.tagName === "INPUT" ||
    element.tagName === "TEXTAREA" ||
    element.tagName === "SELECT"
  )
}

/**
 * Listens for the shortcuts of the available actions on `target` (the window) and runs the first that
 * matches. A key a focused widget already handled (defaultPrevented: the editor's own keymap) is left
 * alone. Returns the disposer.
 */
export function installShortcuts(
  target: Pick<Window, "addEventListener" | "removeEventListener">,
  actions: () => { shortcut?: string; run: () => void }[],
  mac: boolean,
): () => void {
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.isComposing) return
    for (const action of actions()) {
      if (!action.shortcut || !matchesShortcut(event, action.shortcut, mac)) continue
      const plain = !event.ctrlKey && !event.metaKey && !event.altKey
      if (plain && typingTarget(event.target)) return
      event.preventDefault()
      action.run()
      return
    }
  }
  target.addEventListener("keydown", onKeyDown)
  return () => target.removeEventListener("keydown", onKeyDown)
}
