import { createStore, type Store } from "./store.ts"

/** The screens of the app. Routes live in the URL hash so that any static host can serve the app. */
export type Route =
  | { name: "projects" }
  | { name: "trash" }
  | { name: "project"; projectId: string; path: string | null }
  /** The project's sessions; `sessionId` is the one open in the chat. */
  | { name: "sessions"; projectId: string; sessionId: string | null }
  /** The project's orchestra runs; `runId` is the run open in the run view. */
  | { name: "runs"; projectId: string; runId: string | null }
  /** A read-only shared session (no sign-in). */
  | { name: "shared"; token: string }
  /** Settings; `section` is one of screens/settings/sections.ts. */
  | { name: "settings"; section: string }
  /** Accepting a team invitation (the server's links: `#/invitation?token=…`; also `#/invite/<token>`). */
  | { name: "invitation"; token: string }

export function parseRoute(hash: string): Route {
  const invitation = /^#?\/?invitation\?(.*)$/.exec(hash)
  if (invitation) return { name: "invitation", token: new URLSearchParams(invitation[1]).get("token") ?? "" }
  const [head = "", ...rest] = hash.replace(/^#\/?/, "").split("/")
  if (head === "invite" && rest[0]) return { name: "invitation", token: decodeURIComponent(rest[0]) }
  if (head === "trash") return { name: "trash" }
  if (head === "settings") return { name: "settings", section: rest[0] ? decodeURIComponent(rest[0]) : "" }
  if (head === "shared" && rest[0]) return { name: "shared", token: decodeURIComponent(rest[0]) }
  if (head === "projects" && rest[0] && rest[1] === "sessions") {
    return {
      name: "sessions",
      projectId: decodeURIComponent(rest[0]),
      sessionId: rest[2] ? decodeURIComponent(rest[2]) : null,
    }
  }
  if (head === "projects" && rest[0] && rest[1] === "runs") {
    return {
      name: "runs",
      projectId: decodeURIComponent(rest[0]),
      runId: rest[2] ? decodeURIComponent(rest[2]) : null,
    }
  }
  if (head === "projects" && rest[0]) {
    const projectId = decodeURIComponent(rest[0])
    const path =
      rest[1] === "file" && rest.length > 2 ? rest.slice(2).map(decodeURIComponent).join("/") : null
    return { name: "project", projectId, path }
  }
  return { name: "projects" }
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case "projects":
      return "#/"
    case "trash":
      return "#/trash"
    case "project": {
      const base = `#/projects/${encodeURIComponent(route.projectId)}`
      return route.path ? `${base}/file/${route.path.split("/").map(encodeURIComponent).join("/")}` : base
    }
    case "sessions": {
      const base = `#/projects/${encodeURIComponent(route.projectId)}/sessions`
      return route.sessionId ? `${base}/${encodeURIComponent(route.sessionId)}` : base
    }
    case "runs": {
      const base = `#/projects/${encodeURIComponent(route.projectId)}/runs`
      return route.runId ? `${base}/${encodeURIComponent(route.runId)}` : base
    }
    case "shared":
      return `#/shared/${encodeURIComponent(route.token)}`
    case "settings":
      return route.section ? `#/settings/${encodeURIComponent(route.section)}` : "#/settings"
    case "invitation":
      return `#/invitation?token=${encodeURIComponent(route.token)}`
  }
}

export interface Router {
  route: Store<Route>
  navigate(route: Route, options?: { replace?: boolean }): void
  dispose(): void
}

export function createRouter(window: Window): Router {
  const route = createStore(parseRoute(window.location.hash))
  const onHashChange = () => route.set(parseRoute(window.location.hash))
  window.addEventListener("hashchange", onHashChange)
  window.addEventListener("popstate", onHashChange)
  return {
    route,
    navigate(next, options = {}) {
      const href = routeHref(next)
      if (options.replace) window.history.replaceState(null, "", href)
      else window.history.pushState(null, "", href)
      route.set(parseRoute(href))
    },
    dispose() {
      window.removeEventListener("hashchange", onHashChange)
      window.removeEventListener("popstate", onHashChange)
    },
  }
}
