import { type ComponentType, lazy, Suspense, useMemo } from "react"
import { useT } from "../../app-context.tsx"
import { PageHeader } from "../../components/page-header.tsx"
import { Spinner } from "../../components/spinner.tsx"
import { routeHref } from "../../lib/router.ts"
import { type SettingsSection, settingsSections } from "./sections.ts"

const lazyComponents = new Map<string, ComponentType>()

function componentOf(section: SettingsSection): ComponentType {
  let component = lazyComponents.get(section.name)
  if (!component) {
    component = lazy(section.load)
    lazyComponents.set(section.name, component)
  }
  return component
}

/** Settings: a navigation of sections beside the open one (`#/settings/<section>`). */
export function SettingsScreen({ section }: { section: string }) {
  const t = useT()
  const current =
    settingsSections.find((item) => item.name === section) ?? (section ? null : settingsSections[0]!)
  const Section = useMemo(() => (current ? componentOf(current) : null), [current])
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("settings.title")} subtitle={t("settings.subtitle")} />
      <div className="flex flex-col gap-6 md:flex-row">
        <nav aria-label={t("settings.nav")} className="md:w-56 md:shrink-0">
          <ul className="flex gap-1 overflow-x-auto md:flex-col">
            {settingsSections.map((item) => (
              <li key={item.name}>
                <a
                  href={routeHref({ name: "settings", section: item.name })}
                  aria-current={item === current ? "page" : undefined}
                  data-testid={`settings-nav-${item.name}`}
                  className={`block whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium ${
                    item === current ? "bg-sunken text-fg" : "text-muted hover:text-fg"
                  }`}
                >
                  {t(item.label)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <section className="min-w-0 flex-1" aria-label={current ? t(current.label) : undefined}>
          {Section ? (
            <Suspense fallback={<Spinner label={t("settings.loading")} />}>
              <Section />
            </Suspense>
          ) : (
            <p role="alert">{t("settings.notFound", { name: section })}</p>
          )}
        </section>
      </div>
    </div>
  )
}
