import { useChatUi } from "./chat-context.tsx"
import { slashDescriptionKeys } from "./slash-command-runner.ts"
import type { SlashCommandName } from "./slash-commands.ts"

/** The id of a suggestion's row, for the message box's aria-activedescendant. */
export function slashOptionId(listId: string, name: string): string {
  return `${listId}-${name}`
}

/**
 * The slash commands that match what is typed, above the message box. The box keeps focus and drives
 * the choice (arrow keys, Tab or Enter completes, Escape closes); a click completes too.
 */
export function SlashMenu({
  id,
  suggestions,
  active,
  onPick,
}: {
  id: string
  suggestions: readonly SlashCommandName[]
  active: number
  onPick: (name: SlashCommandName) => void
}) {
  const { t } = useChatUi()
  return (
    <div
      id={id}
      role="listbox"
      aria-label={t("commands.slash.label")}
      data-testid="slash-menu"
      className="absolute bottom-full left-3 z-20 mb-1 w-[min(28rem,calc(100%-1.5rem))] overflow-hidden rounded-xl border border-line bg-surface py-1 shadow-xl"
    >
      {suggestions.map((name, index) => (
        <div
          key={name}
          id={slashOptionId(id, name)}
          role="option"
          tabIndex={-1}
          aria-selected={index === active}
          data-testid="slash-option"
          data-command={name}
          // Keep focus in the message box.
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => onPick(name)}
          onKeyDown={() => undefined}
          className={`mx-1 flex cursor-pointer items-baseline gap-3 rounded-lg px-3 py-1.5 text-sm ${
            index === active ? "bg-accent-soft" : ""
          }`}
        >
          <span className="font-mono font-medium text-fg">/{name}</span>
          <span className="min-w-0 truncate text-xs text-muted">{t(slashDescriptionKeys[name])}</span>
        </div>
      ))}
    </div>
  )
}
