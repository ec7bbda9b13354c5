import type { ApiError } from "@xionimus/sdk"
import { useT } from "../app-context.tsx"
import { Button } from "./button.tsx"
import { AlertIcon } from "./icons.tsx"

/** An error as the user sees it: the server's message, its stable code, and a retry when there is one. */
export function ErrorNotice({
  error,
  onRetry,
  compact = false,
  testId = "error",
}: {
  error: ApiError
  onRetry?: () => void
  compact?: boolean
  testId?: string
}) {
  const t = useT()
  return (
    <div
      role="alert"
      data-testid={testId}
      data-error-code={error.code}
      className={`flex items-start gap-3 rounded-lg border border-danger/25 bg-danger-soft text-fg ${compact ? "px-3 py-2" : "px-4 py-3"}`}
    >
      <AlertIcon className="mt-0.5 size-4 text-danger" />
      <div className="min-w-0 flex-1">
        <p className="break-words">{error.message}</p>
        <p className="mt-1 text-xs text-muted">
          {t("error.code")}{" "}
          <code data-testid={`${testId}-code`} className="font-mono text-danger">
            {error.code}
          </code>
          {error.requestId ? (
            <>
              {" · "}
              {t("error.request")} <code className="font-mono">{error.requestId}</code>
            </>
          ) : null}
        </p>
      </div>
      {onRetry ? (
        <Button size="sm" variant="secondary" onClick={onRetry}>
          {t("error.retry")}
        </Button>
      ) : null}
    </div>
  )
}
