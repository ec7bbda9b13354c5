import { useState } from "react"
import { CheckIcon, CopyIcon } from "../../components/icons.tsx"
import { useChatUi } from "./chat-context.tsx"

/** Copies text to the clipboard and says so for a moment. */
export function CopyButton({ text, testId, label }: { text: string; testId?: string; label?: string }) {
  const { t } = useChatUi()
  const [copied, setCopied] = useState(false)
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text)
    } catch {
      // Without clipboard access (insecure origin), select-and-copy still works on the visible text.
      return
    }
    setCopied(true)
    setTimeout(() => setCopied(false), 1500)
  }
  return (
    <button
      type="button"
      onClick={() => void copy()}
      data-testid={testId}
      data-copied={copied}
      className="inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 text-xs text-muted hover:bg-sunken hover:text-fg"
    >
      {copied ? <CheckIcon className="size-3.5" /> : <CopyIcon className="size-3.5" />}
      {copied ? t("chat.copied") : (label ?? t("chat.copy"))}
    </button>
  )
}
