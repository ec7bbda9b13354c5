import type { TemplateId } from "@xionimus/protocol"
import { useT } from "../../app-context.tsx"
import { BoxIcon, CheckIcon } from "../../components/icons.tsx"

export type TemplateChoice = TemplateId | "empty"

/** Radio cards: empty plus every template the server offers. */
export function TemplatePicker({
  options,
  value,
  onChange,
}: {
  options: TemplateChoice[]
  value: TemplateChoice
  onChange: (value: TemplateChoice) => void
}) {
  const t = useT()
  return (
    <div
      role="radiogroup"
      aria-label={t("create.fromTemplate")}
      className="grid grid-cols-1 gap-2 sm:grid-cols-2"
    >
      {options.map((option) => {
        const checked = option === value
        return (
          <label
            key={option}
            className={`relative flex cursor-pointer gap-3 rounded-xl border p-3 transition-colors has-focus-visible:outline-2 has-focus-visible:outline-offset-2 has-focus-visible:outline-accent ${
              checked
                ? "border-accent bg-accent-soft/60"
                : "border-line hover:border-line-strong hover:bg-sunken/60"
            }`}
          >
            <input
              type="radio"
              name="template"
              value={option}
              checked={checked}
              onChange={() => onChange(option)}
              className="sr-only"
              data-testid={`template-${option}`}
            />
            <BoxIcon className={`mt-0.5 size-4 ${checked ? "text-accent-text" : "text-subtle"}`} />
            <span className="min-w-0">
              <span className="block font-medium">{t(`source.${option}`)}</span>
              <span className="mt-0.5 block text-xs text-muted">{t(`template.${option}`)}</span>
            </span>
            {checked ? <CheckIcon className="absolute top-3 right-3 size-4 text-accent-text" /> : null}
          </label>
        )
      })}
    </div>
  )
}
