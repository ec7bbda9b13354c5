// The attachment chips and the note that a model without vision gets only the paths of attached images:
// shown for an image and a model the catalog says cannot see, not for a vision model or a text file.
// The API is faked at the SDK's edge (Client upload, the model list); component and stores are real.
import { render, screen, waitFor } from "@testing-library/react"
import type { ModelInfo } from "@xionimus/protocol"
import type { Client } from "@xionimus/sdk"
import { expect, test } from "vitest"
import { AppContext } from "../../src/app-context.tsx"
import type { AppServices } from "../../src/app-services.ts"
import { translate } from "../../src/i18n/translate.ts"
import { AttachmentsBar } from "../../src/screens/chat/attachments-bar.tsx"
import { ChatUiContext } from "../../src/screens/chat/chat-context.tsx"
import { createAttachments } from "../../src/stores/attachments-store.ts"
import { createModels } from "../../src/stores/models-store.ts"

const info = (name: string, vision: boolean) =>
  ({ name, capabilities: { tools: true, vision, reasoning: false } }) as ModelInfo

async function renderBar(files: File[], model: string | undefined, fallback?: string) {
  const client = {
    async upload(_projectId: string, entries: { path: string }[], options: { path: string }) {
      return entries.map((entry) => ({ path: `${options.path}/${entry.path}` }))
    },
    async remove() {},
  } as unknown as Client
  const models = createModels({
    async models() {
      return {
        catalogCompiled: "2026-11-22",
        models: [info("openai/gpt-4o", true), info("groq/llama", false)],
        ...(fallback ? { default: fallback } : {}),
      }
    },
  } as never)
  const attachments = createAttachments({ client, projectId: () => "prj_1" })
  await attachments.add(files)
  const t = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) =>
    translate("en", key, params)
  render(
    <AppContext.Provider value={{ models } as unknown as AppServices}>
      <ChatUiContext value={{ t, locale: "en", chat: null }}>
        <AttachmentsBar attachments={attachments} model={model} />
      </ChatUiContext>
    </AppContext.Provider>,
  )
  // The list is asked for only once an image is attached.
  if (files.some((file) => file.type.startsWith("image/")))
    await waitFor(() => expect(models.list.get()).not.toBeNull())
}

const png = () => new File(["png"], "shot.png", { type: "image/png" })

test("an image for a model without vision: the note names the model", async () => {
  await renderBar([png()], "groq/llama")
  const note = await screen.findByTestId("attachment-no-vision")
  expect(note.textContent).toContain("groq/llama cannot see images: it gets their paths only")
})

test("a session without its own model: the configured default decides", async () => {
  await renderBar([png()], undefined, "groq/llama")
  expect((await screen.findByTestId("attachment-no-vision")).textContent).toContain("groq/llama")
})

test("no note for a vision model, a text file, or a model the page does not know", async () => {
  await renderBar([png()], "openai/gpt-4o")
  await renderBar([new File(["x"], "notes.txt")], "groq/llama")
  await renderBar([png()], "elsewhere/unknown")
  expect(screen.getAllByTestId("attachment-chip")).toHaveLength(3)
  expect(screen.queryByTestId("attachment-no-vision")).toBeNull()
})
