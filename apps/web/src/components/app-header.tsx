import { useServices, useT } from "../app-context.tsx"
import { routeHref } from "../lib/router.ts"
import { useStore } from "../lib/store.ts"
import { CommandPaletteButton } from "./command-palette.tsx"
import { ConnectionBadge } from "./connection-badge.tsx"
import { FolderIcon, GearIcon, TrashIcon } from "./icons.tsx"
import { LanguageSwitch } from "./language-switch.tsx"
import { SignOutButton } from "./sign-out-button.tsx"
import { ThemeToggle } from "./theme-toggle.tsx"

function Logo() {
  return (
    <span
      className="flex size-7 items-center justify-center rounded-lg bg-accent text-accent-fg shadow-sm"
      aria-hidden="true"
    >
      <svg
        aria-hidden="true"
        viewBox="0 0 24 24"
        className="size-4"
        fill="none"
        stroke="currentColor"
        strokeWidth={2.6}
        strokeLinecap="round"
      >
        <path d="M7 7l10 10M17 7 7 17" />
      </svg>
    </span>
  )
}

export function AppHeader() {
  const { router } = useServices()
  const t = useT()
  const route = useStore(router.route)
  const section = route.name === "trash" || route.name === "settings" ? route.name : "projects"
  // On phones the sections are icons (their names stay for screen readers and as tooltips).
  const navClass = (active: boolean) =>
    `flex items-center rounded-md px-2 py-1.5 font-medium transition-colors sm:px-2.5 ${active ? "bg-sunken text-fg" : "text-muted hover:text-fg"}`
  const label = (text: string) => <span className="sr-only sm:not-sr-only">{text}</span>
  return (
    <header className="sticky top-0 z-30 border-b border-line bg-surface/85 backdrop-blur supports-[backdrop-filter]:bg-surface/70">
      <div className="mx-auto flex h-14 max-w-[1400px] items-center gap-3 px-4 sm:gap-6 sm:px-6">
        <a
          href={routeHref({ name: "projects" })}
          className="flex items-center gap-2.5 rounded-md"
          data-testid="home-link"
        >
          <Logo />
          <span className="hidden text-[15px] font-semibold tracking-tight sm:inline">{t("app.name")}</span>
        </a>
        <nav aria-label={t("nav.main")} className="flex items-center gap-0.5 sm:gap-1">
          <a
            href={routeHref({ name: "projects" })}
            className={navClass(section === "projects")}
            aria-current={section === "projects" ? "page" : undefined}
            data-testid="nav-projects"
            title={t("nav.projects")}
          >
            <FolderIcon className="size-4 sm:hidden" />
            {label(t("nav.projects"))}
          </a>
          <a
            href={routeHref({ name: "trash" })}
            className={navClass(section === "trash")}
            aria-current={section === "trash" ? "page" : undefined}
            data-testid="nav-trash"
            title={t("nav.trash")}
          >
            <TrashIcon className="size-4 sm:hidden" />
            {label(t("nav.trash"))}
          </a>
          <a
            href={routeHref({ name: "settings", section: "" })}
            className={navClass(section === "settings")}
            aria-current={section === "settings" ? "page" : undefined}
            data-testid="nav-settings"
            title={t("nav.settings")}
          >
            <GearIcon className="size-4 sm:hidden" />
            {label(t("nav.settings"))}
          </a>
        </nav>
        <div className="ml-auto flex items-center gap-1.5 sm:gap-2">
          <CommandPaletteButton />
          <ConnectionBadge />
          <LanguageSwitch />
          <ThemeToggle />
          <SignOutButton />
        </div>
      </div>
    </header>
  )
}
