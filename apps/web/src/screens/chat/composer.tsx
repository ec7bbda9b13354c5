import { Button } from "../../components/button.tsx"
import { SendIcon } from "../../components/icons.tsx"
import { useStore } from "../../lib/store.ts"
import type { Chat } from "../../stores/chat-store.ts"
import { useChatUi } from "./chat-context.tsx"

/** The message box: several lines, Ctrl/Cmd+Enter sends, the draft is kept per session. */
export function Composer({ chat, busy }: { chat: Chat; busy: boolean }) {
  const { t } = useChatUi()
  const draft = useStore(chat.draft)
  const sending = useStore(chat.state, (state) => state.busy)
  const send = () => void chat.send()
  return (
    <form
      className="flex items-end gap-2 border-t border-line p-3"
      onSubmit={(event) => {
        event.preventDefault()
        send()
      }}
    >
      <textarea
        value={draft}
        onChange={(event) => chat.setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
            event.preventDefault()
            send()
          }
        }}
        rows={2}
        aria-label={t("chat.input")}
        placeholder={t("chat.placeholder")}
        data-testid="chat-input"
        className="max-h-64 min-h-[3.25rem] flex-1 sm:min-h-[4.5rem] resize-y rounded-lg border border-line-strong bg-surface px-3 py-2 text-sm placeholder:text-subtle"
      />
      <Button type="submit" variant="primary" disabled={sending || !draft.trim()} data-testid="chat-send">
        <SendIcon className="size-3.5" />
        {busy ? t("chat.queue") : t("chat.send")}
      </Button>
    </form>
  )
}
