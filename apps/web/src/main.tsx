import { StrictMode } from "react"
import { createRoot } from "react-dom/client"
import { App } from "./app.tsx"
import { AppContext } from "./app-context.tsx"
import { createAppServices } from "./app-services.ts"
import "./styles.css"

const services = createAppServices(window)
const container = document.getElementById("root")
if (!container) throw new Error("index.html has no #root element")
createRoot(container).render(
  <StrictMode>
    <AppContext value={services}>
      <App />
    </AppContext>
  </StrictMode>,
)
if (import.meta.hot) import.meta.hot.dispose(() => services.dispose())
