import tailwindcss from "@tailwindcss/vite"
import react from "@vitejs/plugin-react"
import { defineConfig } from "vite"
import { precompress } from "./precompress.ts"

/** Where `npm run dev` runs the API server (scripts/dev.ts); the dev server proxies to it. */
const apiTarget = process.env.XIONIMUS_API_URL ?? "http://127.0.0.1:4100"

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), tailwindcss(), precompress()],
  build: { outDir: process.env.XIONIMUS_WEB_DIST ?? "dist", emptyOutDir: true, target: "es2022" },
  server: {
    host: "127.0.0.1",
    port: 5173,
    proxy: {
      "/api": { target: apiTarget, ws: true, changeOrigin: true },
      "/healthz": { target: apiTarget },
    },
  },
})
