import type { InterfaceLanguage, UserPreferences } from "@xionimus/protocol"
import type { ApiError } from "@xionimus/sdk"
import { isLocale, type Locale } from "../i18n/translate.ts"
import { createStore, type Store } from "../lib/store.ts"
import { toApiError } from "../lib/to-api-error.ts"

/**
 * The model new sessions start with, chosen in Settings and kept on the server as the user's preference
 * (`/api/me/preferences`), so that it follows the user to every browser; the server also gives it to
 * sessions created without a model. This browser keeps a copy only as a cache for the first paint.
 * The interface language is the same kind of preference: a change here is saved, and the saved one is
 * applied when the app starts.
 */
export interface DefaultModel {
  value: Store<string | null>
  /** Saves the choice (null: the configuration's default); the error to show, or null. */
  set(model: string | null): Promise<ApiError | null>
  /** Reads the saved preferences; a failure keeps the cached choice. */
  load(): Promise<void>
  dispose(): void
}

/** The part of the account client this store uses. */
export interface PreferencesPort {
  preferences(): Promise<UserPreferences>
  setPreferences(input: {
    defaultModel?: string | null
    language?: InterfaceLanguage | null
  }): Promise<UserPreferences>
}

/** The part of the settings store this store uses: the interface language, read, watched and set. */
export interface LocalePort {
  state: { get(): { locale: Locale }; subscribe(listener: () => void): () => void }
  setLocale(locale: Locale): void
}

const key = "xionimus.defaultModel"

export function createDefaultModel(
  storage: Storage | undefined,
  account: PreferencesPort,
  settings?: LocalePort,
): DefaultModel {
  let stored: string | null = null
  try {
    stored = storage?.getItem(key) ?? null
  } catch {
    // Storage refused (private mode): no cached choice.
  }
  const value = createStore<string | null>(stored || null)
  const cache = (model: string | null) => {
    value.set(model)
    try {
      if (model) storage?.setItem(key, model)
      else storage?.removeItem(key)
    } catch {
      // The cache holds for this visit only.
    }
  }

  // The language last known to the server: a change away from it is saved.
  let savedLanguage = settings?.state.get().locale ?? null
  const stopWatching = settings?.state.subscribe(() => {
    const locale = settings.state.get().locale
    if (locale === savedLanguage) return
    savedLanguage = locale
    account.setPreferences({ language: locale }).catch(() => {
      // Not saved (offline, signed out): this browser still remembers it.
    })
  })

  return {
    value,
    async set(model) {
      const previous = value.get()
      // Shown (and used by sessions created meanwhile) at once; taken back if the server refuses it.
      cache(model)
      try {
        const saved = await account.setPreferences({ defaultModel: model })
        cache(saved.defaultModel)
        return null
      } catch (error) {
        cache(previous)
        return toApiError(error)
      }
    },
    async load() {
      try {
        const saved = await account.preferences()
        cache(saved.defaultModel)
        if (settings && saved.language && isLocale(saved.language)) {
          savedLanguage = saved.language
          if (settings.state.get().locale !== saved.language) settings.setLocale(saved.language)
        }
      } catch {
        // Not reachable now: the cached choice stands until the next start.
      }
    },
    dispose() {
      stopWatching?.()
    },
  }
}
