import { useEffect } from "react"
import { useServices } from "../../app-context.tsx"
import { useStore } from "../../lib/store.ts"
import type { Chat } from "../../stores/chat-store.ts"
import { useChatUi } from "./chat-context.tsx"

/** The session's model: the configured default or one of the models the user can use. */
export function ModelPicker({ chat, model }: { chat: Chat; model: string | null }) {
  const { t } = useChatUi()
  const { models } = useServices()
  const list = useStore(models.list)
  useEffect(() => models.load(), [models])
  const names = list?.map((item) => item.name) ?? []
  if (model && !names.includes(model)) names.unshift(model)
  return (
    <select
      value={model ?? ""}
      onChange={(event) => void chat.setModel(event.target.value || null)}
      aria-label={t("chat.model")}
      title={t("chat.model")}
      data-testid="model-picker"
      className="h-8 max-w-48 rounded-lg border border-line-strong bg-surface px-2 text-[13px]"
    >
      <option value="">{t("chat.modelDefault")}</option>
      {names.map((name) => (
        <option key={name} value={name}>
          {name}
        </option>
      ))}
    </select>
  )
}
