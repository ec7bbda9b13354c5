import type { PermissionRequest, PermissionScope } from "@xionimus/protocol"
import { useState } from "react"
import { Button } from "../../components/button.tsx"
import { AlertIcon } from "../../components/icons.tsx"
import { formatInput } from "../../stores/chat-view.ts"
import { useChatUi } from "./chat-context.tsx"

/** The agent's open question, inline in the chat: allow once, allow always, or deny with a message. */
export function ApprovalPrompt({ request }: { request: PermissionRequest & { reason?: string } }) {
  const { t, chat } = useChatUi()
  const [denying, setDenying] = useState(false)
  const [message, setMessage] = useState("")
  const detail = request.metadata && Object.keys(request.metadata).length > 0 ? request.metadata : null
  // One answer per question: the buttons wait while it is on its way, and come back if it failed.
  const [sent, setSent] = useState(false)
  const [scope, setScope] = useState<PermissionScope>("session")
  const decide = async (decision: Parameters<NonNullable<typeof chat>["decide"]>[1]) => {
    if (!chat) return
    setSent(true)
    await chat.decide(request.id, decision)
    if (chat.state.get().error) setSent(false)
  }
  return (
    <section
      className="flex flex-col gap-3 rounded-xl border border-warning/40 bg-warning-soft p-4"
      data-testid="approval"
      aria-label={t("chat.approval.title")}
    >
      <div className="flex items-start gap-2">
        <AlertIcon className="mt-0.5 size-4 text-warning" />
        <div className="min-w-0 flex-1">
          <p className="font-medium">{t("chat.approval.title")}</p>
          <p className="mt-0.5 break-words" data-testid="approval-title">
            {request.reason === "loop" ? t("chat.approval.loop") : request.title}
          </p>
          {detail ? (
            <pre className="mt-2 max-h-48 overflow-auto rounded-md bg-surface/70 p-2 font-mono text-xs">
              {formatInput(detail)}
            </pre>
          ) : null}
          {request.always.length > 0 ? (
            <p className="mt-2 text-xs text-muted">
              {t("chat.approval.always", { patterns: request.always.join(", ") })}
            </p>
          ) : null}
        </div>
      </div>
      {chat ? (
        <div className="flex flex-wrap gap-2">
          <Button
            size="sm"
            variant="primary"
            disabled={sent}
            onClick={() => void decide({ kind: "allow-once" })}
            data-testid="approval-allow-once"
          >
            {t("chat.approval.allowOnce")}
          </Button>
          <Button
            size="sm"
            disabled={sent}
            onClick={() => void decide({ kind: "allow-always", scope })}
            data-testid="approval-allow-always"
          >
            {t("chat.approval.allowAlways")}
          </Button>
          <select
            value={scope}
            onChange={(event) => setScope(event.target.value as PermissionScope)}
            aria-label={t("chat.approval.scope")}
            title={t("chat.approval.scope")}
            data-testid="approval-scope"
            className="h-8 rounded-lg border border-line-strong bg-surface px-2 text-[13px]"
          >
            <option value="session">{t("chat.approval.scope.session")}</option>
            <option value="user">{t("chat.approval.scope.user")}</option>
            <option value="project">{t("chat.approval.scope.project")}</option>
          </select>
          <Button size="sm" variant="danger" onClick={() => setDenying(!denying)} data-testid="approval-deny">
            {t("chat.approval.deny")}
          </Button>
        </div>
      ) : null}
      {chat && denying ? (
        <form
          className="flex flex-col gap-2 sm:flex-row"
          onSubmit={(event) => {
            event.preventDefault()
            void decide({ kind: "deny", ...(message.trim() ? { message: message.trim() } : {}) })
          }}
        >
          <input
            value={message}
            onChange={(event) => setMessage(event.target.value)}
            aria-label={t("chat.approval.denyMessage")}
            placeholder={t("chat.approval.denyMessage")}
            data-testid="approval-deny-message"
            className="h-8 flex-1 rounded-lg border border-line-strong bg-surface px-3 text-sm"
          />
          <Button size="sm" type="submit" disabled={sent} data-testid="approval-deny-send">
            {t("chat.approval.denySend")}
          </Button>
        </form>
      ) : null}
    </section>
  )
}
