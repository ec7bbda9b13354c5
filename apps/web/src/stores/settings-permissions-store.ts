import type { PermissionMode, PermissionRule } from "@xionimus/protocol"
import type { ApiError } from "@xionimus/sdk"
import { createStore, type Store } from "../lib/store.ts"
import { toApiError } from "../lib/to-api-error.ts"
import {
  draftsOf,
  type RuleDraft,
  type RuleProblem,
  validateRules,
} from "../screens/settings/permissions-rules.ts"

/** Permission settings as the API reads and writes them (a user's mode may be absent). */
export interface PermissionSettingsValue {
  mode?: PermissionMode
  rules: PermissionRule[]
}

export interface PermissionEditorState {
  status: "loading" | "ready" | "error"
  loadError: ApiError | null
  /** null: no mode of one's own (the user follows each project's). */
  mode: PermissionMode | null
  drafts: RuleDraft[]
  problems: RuleProblem[]
  saving: boolean
  saveError: ApiError | null
  /** Shown after a save until the next change. */
  saved: boolean
  dirty: boolean
}

export interface PermissionEditor {
  state: Store<PermissionEditorState>
  load(): Promise<void>
  setMode(mode: PermissionMode | null): void
  addRule(): void
  updateRule(index: number, patch: Partial<RuleDraft>): void
  removeRule(index: number): void
  /** Checks the rules, then saves; false when something stopped it (problems or the server's error). */
  save(): Promise<boolean>
}

export interface PermissionEditorDeps {
  read(): Promise<PermissionSettingsValue>
  write(settings: PermissionSettingsValue): Promise<PermissionSettingsValue>
}

/** Edits one set of permission settings (the user's own or a project's) and saves it whole. */
export function createPermissionEditor(deps: PermissionEditorDeps): PermissionEditor {
  const state = createStore<PermissionEditorState>({
    status: "loading",
    loadError: null,
    mode: null,
    drafts: [],
    problems: [],
    saving: false,
    saveError: null,
    saved: false,
    dirty: false,
  })
  const show = (value: PermissionSettingsValue) =>
    state.patch({ mode: value.mode ?? null, drafts: draftsOf(value.rules), problems: [], dirty: false })
  const edit = (patch: Partial<PermissionEditorState>) =>
    state.patch({ ...patch, saved: false, saveError: null, dirty: true })

  return {
    state,
    async load() {
      state.patch({ status: "loading", loadError: null })
      try {
        show(await deps.read())
        state.patch({ status: "ready", saved: false, saveError: null })
      } catch (error) {
        state.patch({ status: "error", loadError: toApiError(error) })
      }
    },
    setMode: (mode) => edit({ mode }),
    addRule: () => edit({ drafts: [...state.get().drafts, { tool: "", pattern: "*", action: "ask" }] }),
    updateRule(index, patch) {
      const drafts = state.get().drafts.map((draft, at) => (at === index ? { ...draft, ...patch } : draft))
      // A fixed field loses its problem at once; the rest are checked again on save.
      const problems = state.get().problems.filter((problem) => problem.index !== index)
      edit({ drafts, problems })
    },
    removeRule(index) {
      edit({ drafts: state.get().drafts.filter((_, at) => at !== index), problems: [] })
    },
    async save() {
      const { drafts, mode } = state.get()
      const { rules, problems } = validateRules(drafts)
      state.patch({ problems, saveError: null, saved: false })
      if (problems.length) return false
      state.patch({ saving: true })
      try {
        show(await deps.write({ ...(mode ? { mode } : {}), rules }))
        state.patch({ saving: false, saved: true })
        return true
      } catch (error) {
        state.patch({ saving: false, saveError: toApiError(error) })
        return false
      }
    },
  }
}
