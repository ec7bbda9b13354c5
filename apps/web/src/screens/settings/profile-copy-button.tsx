import { useState } from "react"
import { useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"

/** Copies a secret or link to the clipboard and says so; when the browser refuses, says to copy by hand. */
export function CopyButton({ text, testId }: { text: string; testId?: string }) {
  const t = useT()
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle")
  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(text)
      setState("copied")
    } catch {
      setState("failed")
    }
  }
  return (
    <span className="inline-flex items-center gap-2">
      <Button size="sm" variant="secondary" onClick={copy} data-testid={testId}>
        {t("settings.copy")}
      </Button>
      <span aria-live="polite" className="text-xs text-muted">
        {state === "copied" ? t("settings.copied") : state === "failed" ? t("settings.copyFailed") : ""}
      </span>
    </span>
  )
}
