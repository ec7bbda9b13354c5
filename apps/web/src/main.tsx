import { createAuthClient, csrfTokenFromCookie } from "@xionimus/sdk"
import { StrictMode } from "react"
import { createRoot } from "react-dom/client"
import { App } from "./app.tsx"
import { AppContext } from "./app-context.tsx"
import { createAppServices } from "./app-services.ts"
import { isLocale, type Locale, pickLocale, translate } from "./i18n/translate.ts"
import { parseRoute } from "./lib/router.ts"
import { AuthScreen } from "./screens/auth/auth-screen.tsx"
import { SharedScreen } from "./screens/shared/shared-screen.tsx"
import "./styles.css"

// The app shell's service worker (public/sw.js) only in a production build: in development it would
// serve stale modules.
if (import.meta.env.PROD && "serviceWorker" in navigator)
  window.addEventListener("load", () => {
    navigator.serviceWorker
      .register("/sw.js")
      .catch((error: unknown) => console.warn("The service worker did not register:", error))
  })

const container = document.getElementById("root")
if (!container) throw new Error("index.html has no #root element")
const root = createRoot(container)
const auth = createAuthClient({ baseUrl: "", csrfToken: () => csrfTokenFromCookie(document.cookie) })

function startApp(): void {
  const services = createAppServices(window)
  root.render(
    <StrictMode>
      <AppContext value={services}>
        <App />
      </AppContext>
    </StrictMode>,
  )
  if (import.meta.hot) import.meta.hot.dispose(() => services.dispose())
}

function storedLocale(): Locale {
  let stored: string | null = null
  try {
    stored = window.localStorage.getItem("xionimus.locale")
  } catch {
    stored = null
  }
  return isLocale(stored) ? stored : pickLocale(window.navigator.languages ?? [])
}

// A shared session is public: it needs no sign-in and none of the app's live services. The server's
// share links point at /shared/<token>; the app's own at #/shared/<token>.
const sharedPath = /^\/shared\/([^/]+)$/.exec(window.location.pathname)
const route = parseRoute(window.location.hash)
const sharedToken =
  route.name === "shared" ? route.token : sharedPath ? decodeURIComponent(sharedPath[1]!) : null

// The app (and its live connection) starts only once the browser is signed in; signing in reloads the
// page so that every store starts fresh with the session.
if (sharedToken) {
  root.render(
    <StrictMode>
      <SharedScreen token={sharedToken} locale={storedLocale()} />
    </StrictMode>,
  )
} else
  auth.status().then(
    async (status) => {
      if (status.principal) return startApp()
      const providers = status.setupRequired ? [] : await auth.providers().catch(() => [])
      const locale = storedLocale()
      root.render(
        <StrictMode>
          <AuthScreen
            auth={auth}
            status={status}
            providers={providers}
            t={(key, params) => translate(locale, key, params)}
            onSignedIn={() => window.location.reload()}
          />
        </StrictMode>,
      )
    },
    // Without an answer the app starts anyway and shows its own offline and error states.
    () => startApp(),
  )
