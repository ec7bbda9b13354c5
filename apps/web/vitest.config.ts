// Component tests (Vitest + jsdom + Testing Library): `npx vitest run --config apps/web/vitest.config.ts`.
// They are *.test.tsx under test/components so that `node --test` (which runs test/*.test.ts) skips them.
import react from "@vitejs/plugin-react"
import { defineConfig } from "vitest/config"

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  test: {
    environment: "jsdom",
    include: ["test/components/**/*.test.tsx"],
    setupFiles: ["test/components/setup.ts"],
  },
})
