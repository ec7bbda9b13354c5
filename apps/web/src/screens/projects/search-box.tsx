import { useT } from "../../app-context.tsx"
import { CloseIcon, SearchIcon } from "../../components/icons.tsx"

export function SearchBox({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const t = useT()
  return (
    <div className="relative w-full sm:max-w-xs">
      <SearchIcon className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-subtle" />
      <input
        type="search"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-label={t("projects.search")}
        placeholder={t("projects.searchPlaceholder")}
        data-testid="project-search"
        className="h-9 w-full appearance-none rounded-lg border border-line-strong bg-surface pr-9 pl-9 text-sm placeholder:text-subtle [&::-webkit-search-cancel-button]:hidden"
      />
      {value ? (
        <button
          type="button"
          aria-label={t("projects.clearSearch")}
          onClick={() => onChange("")}
          className="absolute top-1/2 right-2 -translate-y-1/2 rounded p-1 text-subtle hover:text-fg"
        >
          <CloseIcon className="size-3.5" />
        </button>
      ) : null}
    </div>
  )
}
