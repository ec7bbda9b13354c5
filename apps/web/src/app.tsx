import { lazy, Suspense } from "react"
import { useServices, useT } from "./app-context.tsx"
import { AppHeader } from "./components/app-header.tsx"
import { CommandPalette } from "./components/command-palette.tsx"
import { ToastRegion } from "./components/toast-region.tsx"
import { useStore } from "./lib/store.ts"
import { ProjectScreen } from "./screens/project/project-screen.tsx"
import { ProjectsScreen } from "./screens/projects/projects-screen.tsx"
import { InvitationAcceptScreen } from "./screens/settings/invitation-accept-screen.tsx"
import { SettingsScreen } from "./screens/settings/settings-screen.tsx"
import { TrashScreen } from "./screens/trash/trash-screen.tsx"

// The orchestra's screens load when first opened (they are not on the way to the first paint).
const RunsScreen = lazy(() =>
  import("./screens/orchestra/runs-screen.tsx").then((module) => ({ default: module.RunsScreen })),
)

export function App() {
  const { router } = useServices()
  const t = useT()
  const route = useStore(router.route)
  const wide = route.name === "project" || route.name === "sessions" || route.name === "settings"
  return (
    <div className="flex min-h-dvh flex-col">
      <button
        type="button"
        onClick={() => document.getElementById("main")?.focus()}
        className="sr-only z-50 rounded-md bg-surface px-3 py-2 focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        {t("app.skipToContent")}
      </button>
      <AppHeader />
      <main
        id="main"
        tabIndex={-1}
        className={`mx-auto flex w-full flex-1 flex-col px-4 py-6 outline-none sm:px-6 sm:py-8 ${
          wide
            ? "max-w-[1400px] md:h-[calc(100dvh-3.5rem-1px)] md:flex-none"
            : // A run is wide too, but long: the page scrolls.
              route.name === "runs"
              ? "max-w-[1400px]"
              : "max-w-4xl"
        }`}
      >
        {route.name === "projects" ? <ProjectsScreen /> : null}
        {route.name === "trash" ? <TrashScreen /> : null}
        {route.name === "settings" ? <SettingsScreen section={route.section} /> : null}
        {route.name === "invitation" ? <InvitationAcceptScreen token={route.token} /> : null}
        {route.name === "runs" ? (
          <Suspense fallback={null}>
            <RunsScreen projectId={route.projectId} runId={route.runId} />
          </Suspense>
        ) : null}
        {route.name === "project" || route.name === "sessions" ? (
          <ProjectScreen
            projectId={route.projectId}
            view={
              route.name === "project"
                ? { name: "files", path: route.path }
                : { name: "sessions", sessionId: route.sessionId }
            }
          />
        ) : null}
      </main>
      <ToastRegion />
      <CommandPalette />
    </div>
  )
}
