import { useServices, useT } from "../app-context.tsx"
import { useStore } from "../lib/store.ts"
import { IconButton } from "./button.tsx"
import { MoonIcon, SunIcon } from "./icons.tsx"

export function ThemeToggle() {
  const { settings } = useServices()
  const t = useT()
  const dark = useStore(settings.state, (state) => state.dark)
  return (
    <IconButton
      data-testid="theme-toggle"
      label={dark ? t("theme.toLight") : t("theme.toDark")}
      onClick={() => settings.toggleTheme()}
    >
      {dark ? <SunIcon /> : <MoonIcon />}
    </IconButton>
  )
}
