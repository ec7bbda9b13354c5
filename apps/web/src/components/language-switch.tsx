import { useServices, useT } from "../app-context.tsx"
import { locales } from "../i18n/translate.ts"
import { useStore } from "../lib/store.ts"

/** EN | DE as a two-option radio group. */
export function LanguageSwitch() {
  const { settings } = useServices()
  const t = useT()
  const current = useStore(settings.state, (state) => state.locale)
  return (
    <fieldset
      className="flex h-8 items-center rounded-lg border border-line p-0.5"
      data-testid="language-switch"
    >
      <legend className="sr-only">{t("language.label")}</legend>
      {locales.map((locale) => (
        <label
          key={locale}
          className={`flex h-full cursor-pointer items-center rounded-md px-2 text-xs font-semibold uppercase tracking-wide has-focus-visible:outline-2 has-focus-visible:outline-accent ${
            current === locale ? "bg-sunken text-fg" : "text-subtle hover:text-fg"
          }`}
        >
          <input
            type="radio"
            name="language"
            value={locale}
            checked={current === locale}
            onChange={() => settings.setLocale(locale)}
            className="sr-only"
            data-testid={`language-${locale}`}
          />
          {locale}
        </label>
      ))}
    </fieldset>
  )
}
