import { isReservedShortcut, normalizeShortcut } from "./shortcuts.ts"

/** The action registry: every command the header, keyboard shortcuts and the command palette can run. */

export type Action = {
  id: string
  /** An i18n key. */
  title: string
  /** Like "mod+k"; "mod" is Ctrl, or Cmd on macOS. */
  shortcut?: string
  run: () => void
  when?: () => boolean
}

export type ActionRegistry = {
  register: (action: Action) => () => void
  available: () => Action[]
  run: (id: string) => boolean
}

export function createActionRegistry(): ActionRegistry {
  const actions = new Map<string, Action>()
  const available = (): Action[] => [...actions.values()].filter((action) => action.when?.() ?? true)
  return {
    register(action) {
      // Programming errors, caught by the tests: a shortcut of the editor or a second owner of a shortcut.
      if (action.shortcut) {
        const shortcut = normalizeShortcut(action.shortcut)
        if (isReservedShortcut(shortcut))
          throw new Error(`action ${action.id}: ${action.shortcut} belongs to the focused editor or field`)
        for (const other of actions.values())
          if (other.id !== action.id && other.shortcut && normalizeShortcut(other.shortcut) === shortcut)
            throw new Error(`action ${action.id}: ${action.shortcut} is already ${other.id}'s shortcut`)
      }
      actions.set(action.id, action)
      return () => {
        if (actions.get(action.id) === action) actions.delete(action.id)
      }
    },
    available,
    run(id) {
      const action = available().find((candidate) => candidate.id === id)
      if (action === undefined) return false
      action.run()
      return true
    },
  }
}

/** Fuzzy match: every query character appears in order in the text; lower scores are tighter matches, undefined is no match. */
export function fuzzyScore(query: string, text: string): number | undefined {
  const needle = query.toLowerCase().replaceAll(/\s+/g, "")
  const haystack = text.toLowerCase()
  let position = -1
  let score = 0
  for (const character of needle) {
    const next = haystack.indexOf(character, position + 1)
    if (next === -1) return undefined
    score += next - position - 1
    position = next
  }
  return score
}

/** The labels that match the query, tightest first (ties keep their order). */
export function fuzzyFilter<T>(query: string, items: T[], label: (item: T) => string): T[] {
  return items
    .map((item, index) => ({ item, index, score: fuzzyScore(query, label(item)) }))
    .filter((entry): entry is { item: T; index: number; score: number } => entry.score !== undefined)
    .sort((a, b) => a.score - b.score || a.index - b.index)
    .map((entry) => entry.item)
}
