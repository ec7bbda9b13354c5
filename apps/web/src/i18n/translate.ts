import { de } from "./de.ts"
import { en, type MessageKey, type Messages } from "./en.ts"

export const locales = ["en", "de"] as const
export type Locale = (typeof locales)[number]

const dictionaries: Record<Locale, Messages> = { en, de }

export type TranslationParams = Record<string, string | number>
export type Translate = (key: MessageKey, params?: TranslationParams) => string

/** Looks a key up in the locale's dictionary and fills in `{name}` parameters. */
export function translate(locale: Locale, key: MessageKey, params?: TranslationParams): string {
  const dictionary = dictionaries[locale]
  const singular =
    params && Number(params.count) === 1 ? (dictionary as Record<string, string>)[`${key}.one`] : undefined
  const text = singular ?? dictionary[key] ?? en[key]
  if (!params) return text
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

/** The first supported locale in the browser's preference list; English otherwise. */
export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const language = tag.toLowerCase().split("-")[0]
    const match = locales.find((locale) => locale === language)
    if (match) return match
  }
  return "en"
}

export function isLocale(value: unknown): value is Locale {
  return locales.includes(value as Locale)
}
