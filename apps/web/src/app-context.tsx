import { createContext, useContext } from "react"
import type { AppServices } from "./app-services.ts"
import type { MessageKey } from "./i18n/en.ts"
import { type TranslationParams, translate } from "./i18n/translate.ts"
import { useStore } from "./lib/store.ts"

export const AppContext = createContext<AppServices | null>(null)

export function useServices(): AppServices {
  const services = useContext(AppContext)
  if (!services) throw new Error("useServices() outside <AppContext>")
  return services
}

/** The translate function for the current language; components re-render when it changes. */
export function useT(): (key: MessageKey, params?: TranslationParams) => string {
  const { settings } = useServices()
  const locale = useStore(settings.state, (state) => state.locale)
  return (key, params) => translate(locale, key, params)
}

export function useLocale(): string {
  const { settings } = useServices()
  return useStore(settings.state, (state) => state.locale)
}
