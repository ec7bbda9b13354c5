import { createAuthClient, csrfTokenFromCookie } from "@xionimus/sdk"
import { StrictMode } from "react"
import { createRoot } from "react-dom/client"
import { App } from "./app.tsx"
import { AppContext } from "./app-context.tsx"
import { createAppServices } from "./app-services.ts"
import { isLocale, pickLocale, translate } from "./i18n/translate.ts"
import { AuthScreen } from "./screens/auth/auth-screen.tsx"
import "./styles.css"

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

// The app (and its live connection) starts only once the browser is signed in; signing in reloads the
// page so that every store starts fresh with the session.
auth.status().then(
  async (status) => {
    if (status.principal) return startApp()
    const providers = status.setupRequired ? [] : await auth.providers().catch(() => [])
    let stored: string | null = null
    try {
      stored = window.localStorage.getItem("xionimus.locale")
    } catch {
      stored = null
    }
    const locale = isLocale(stored) ? stored : pickLocale(window.navigator.languages ?? [])
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
