import { isLocale, type Locale, pickLocale } from "../i18n/translate.ts"
import { createStore, type Store } from "../lib/store.ts"

export type ThemeChoice = "light" | "dark" | "system"

export interface SettingsState {
  locale: Locale
  /** What the user chose; "system" follows prefers-color-scheme. */
  theme: ThemeChoice
  /** Whether the dark theme is in effect now. */
  dark: boolean
}

export interface Settings {
  state: Store<SettingsState>
  setLocale(locale: Locale): void
  /** Switches to the opposite of the theme in effect and remembers the choice. */
  toggleTheme(): void
  dispose(): void
}

const localeKey = "xionimus.locale"
// The same key is read by public/theme-init.js before the first paint.
const themeKey = "xionimus.theme"

function read(storage: Storage, key: string): string | null {
  try {
    return storage.getItem(key)
  } catch {
    return null
  }
}

function write(storage: Storage, key: string, value: string): void {
  try {
    storage.setItem(key, value)
  } catch {
    // Private mode or a full quota: the choice holds for this visit only.
  }
}

/** Language and theme: read from localStorage, the browser's languages and prefers-color-scheme. */
export function createSettings(window: Window): Settings {
  const storage = window.localStorage
  const media = window.matchMedia("(prefers-color-scheme: dark)")
  const storedLocale = read(storage, localeKey)
  const storedTheme = read(storage, themeKey)
  const theme: ThemeChoice = storedTheme === "light" || storedTheme === "dark" ? storedTheme : "system"
  const state = createStore<SettingsState>({
    locale: isLocale(storedLocale) ? storedLocale : pickLocale(window.navigator.languages ?? []),
    theme,
    dark: theme === "system" ? media.matches : theme === "dark",
  })

  const apply = () => {
    const { dark, locale } = state.get()
    window.document.documentElement.classList.toggle("dark", dark)
    window.document.documentElement.lang = locale
  }
  const onSystemChange = () => {
    if (state.get().theme === "system") state.patch({ dark: media.matches })
  }
  apply()
  const unsubscribe = state.subscribe(apply)
  media.addEventListener("change", onSystemChange)

  return {
    state,
    setLocale(locale) {
      write(storage, localeKey, locale)
      state.patch({ locale })
    },
    toggleTheme() {
      const next = state.get().dark ? "light" : "dark"
      write(storage, themeKey, next)
      state.patch({ theme: next, dark: next === "dark" })
    },
    dispose() {
      unsubscribe()
      media.removeEventListener("change", onSystemChange)
    },
  }
}
