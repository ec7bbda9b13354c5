import type { ApiError } from "@xionimus/sdk"
import { useEffect, useMemo, useState } from "react"
import { PlayIcon, StopIcon } from "../../components/icons.tsx"
import { Spinner } from "../../components/spinner.tsx"
import { pathHint, runCommandFor } from "../../lib/code-block.ts"
import { useStore } from "../../lib/store.ts"
import { toApiError } from "../../lib/to-api-error.ts"
import { applyCode, type CodeRun, createCodeRun, versionOf } from "../../stores/code-run.ts"
import { type CodeBlockActions, useChatUi } from "./chat-context.tsx"
import { CopyButton } from "./copy-button.tsx"
import type { CodeToken } from "./highlight-code.ts"

const actionClass =
  "inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 text-xs text-muted hover:bg-sunken hover:text-fg disabled:opacity-50"

/** A fenced code block: copy; in a chat (not a shared page) also write it to a file and run it in the sandbox. */
export function CodeBlockView({
  language,
  info,
  code,
  open,
}: {
  language: string
  info: string
  code: string
  /** Still streaming: nothing to apply or run yet. */
  open: boolean
}) {
  const { t, code: actions } = useChatUi()
  const [applying, setApplying] = useState(false)
  const command = useMemo(() => runCommandFor(language, code), [language, code])
  const run = useMemo(() => (actions ? createCodeRun(actions) : null), [actions])
  useEffect(() => () => run?.dispose(), [run])
  const ready = actions && !open
  return (
    <div className="overflow-hidden rounded-lg border border-line bg-sunken" data-testid="code-block">
      <div className="flex items-center gap-1 border-b border-line px-3 py-1">
        <span className="flex-1 font-mono text-xs text-subtle">{language || "text"}</span>
        {ready ? (
          <button
            type="button"
            className={actionClass}
            onClick={() => setApplying(!applying)}
            aria-expanded={applying}
            data-testid="code-apply"
          >
            {t("chat.code.apply")}
          </button>
        ) : null}
        {ready && command !== null && run ? <RunButton run={run} command={command} /> : null}
        <CopyButton text={code} testId="code-copy" />
      </div>
      <pre className="overflow-x-auto p-3 font-mono text-[13px] leading-snug">
        <HighlightedCode language={language} code={code} ready={!open} />
      </pre>
      {applying && actions ? (
        <ApplyForm
          actions={actions}
          code={code}
          initialPath={pathHint(info, code)}
          onDone={() => setApplying(false)}
        />
      ) : null}
      {run ? <RunOutput run={run} /> : null}
    </div>
  )
}

/** The code, coloured once the block is complete and its grammar loaded (plain text until then). */
function HighlightedCode({ language, code, ready }: { language: string; code: string; ready: boolean }) {
  const [tokens, setTokens] = useState<CodeToken[] | null>(null)
  useEffect(() => {
    setTokens(null)
    if (!ready || !language) return
    let current = true
    import("./highlight-code.ts")
      .then(({ highlight }) => highlight(language, code))
      .then((result) => {
        if (current) setTokens(result)
      })
      .catch(() => undefined) // colours are a nicety: plain text stays
    return () => {
      current = false
    }
  }, [language, code, ready])
  if (!tokens) return <code>{code}</code>
  return (
    <code data-highlighted="true">
      {tokens.map((token, index) =>
        token.classes ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: tokens are positions in a fixed text
          <span key={index} className={token.classes}>
            {token.text}
          </span>
        ) : (
          token.text
        ),
      )}
    </code>
  )
}

function RunButton({ run, command }: { run: CodeRun; command: string | string[] }) {
  const { t } = useChatUi()
  const status = useStore(run.state, (state) => state.status)
  return (
    <button
      type="button"
      className={actionClass}
      disabled={status === "running"}
      onClick={() => void run.start(command)}
      data-testid="code-run"
      title={t("chat.code.runHint")}
    >
      {status === "running" ? <Spinner className="size-3" /> : <PlayIcon className="size-3.5" />}
      {t("chat.code.run")}
    </button>
  )
}

function RunOutput({ run }: { run: CodeRun }) {
  const { t } = useChatUi()
  const { status, output, result, error } = useStore(run.state)
  if (status === "idle") return null
  const ended =
    status === "done" && result
      ? result.limit
        ? t("chat.code.limit", { limit: result.limit })
        : t("chat.code.exit", { code: String(result.exitCode ?? result.signal ?? "?") })
      : null
  return (
    <div className="border-t border-line bg-surface" data-testid="code-run-output" data-status={status}>
      <div className="flex items-center gap-2 px-3 py-1 text-xs text-muted">
        {status === "running" ? (
          <>
            <Spinner className="size-3" />
            <span>{t("chat.code.running")}</span>
          </>
        ) : status === "failed" ? (
          <span className="text-danger" data-testid="code-run-error">
            <StopIcon className="mr-1 inline size-3" />
            {error?.message} {error?.code ? <code className="font-mono">{error.code}</code> : null}
          </span>
        ) : (
          <span data-testid="code-run-exit" data-exit-code={result?.exitCode ?? ""}>
            {ended}
          </span>
        )}
      </div>
      {output ? (
        <pre className="max-h-64 overflow-auto px-3 pb-2 font-mono text-xs whitespace-pre-wrap">{output}</pre>
      ) : null}
    </div>
  )
}

function ApplyForm({
  actions,
  code,
  initialPath,
  onDone,
}: {
  actions: CodeBlockActions
  code: string
  initialPath: string
  onDone: () => void
}) {
  const { t } = useChatUi()
  const [path, setPath] = useState(initialPath)
  /** The version of the file found there (asks before overwriting); undefined: not looked yet. */
  const [existing, setExisting] = useState<string | null | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [written, setWritten] = useState<string | null>(null)
  const target = path.trim().replace(/^\/+/, "")

  async function write(overwrite: boolean): Promise<void> {
    setBusy(true)
    setError(null)
    try {
      const version = overwrite ? existing! : await versionOf(actions.client, actions.projectId, target)
      if (version !== null && !overwrite) {
        setExisting(version)
        return
      }
      await applyCode(actions.client, actions.projectId, target, code, version)
      setWritten(target)
      setExisting(undefined)
    } catch (failure) {
      setError(toApiError(failure))
    } finally {
      setBusy(false)
    }
  }

  if (written)
    return (
      <p
        className="border-t border-line bg-surface px-3 py-2 text-xs"
        role="status"
        data-testid="code-applied"
      >
        {t("chat.code.applied")}{" "}
        <a href={actions.fileHref(written)} className="font-mono text-accent-text underline">
          {written}
        </a>
      </p>
    )
  return (
    <form
      className="flex flex-wrap items-center gap-2 border-t border-line bg-surface px-3 py-2"
      onSubmit={(event) => {
        event.preventDefault()
        if (target) void write(false)
      }}
    >
      <label className="flex min-w-0 flex-1 items-center gap-2 text-xs">
        <span className="text-muted">{t("chat.code.path")}</span>
        <input
          value={path}
          onChange={(event) => {
            setPath(event.target.value)
            setExisting(undefined)
          }}
          placeholder="src/example.ts"
          // biome-ignore lint/a11y/noAutofocus: the field appears because the user asked to apply
          autoFocus
          className="h-7 min-w-0 flex-1 rounded-md border border-line-strong bg-surface px-2 font-mono text-xs"
          data-testid="code-apply-path"
        />
      </label>
      {existing ? (
        <>
          <span className="text-xs text-warning" data-testid="code-apply-exists">
            {t("chat.code.exists", { path: target })}
          </span>
          <button
            type="button"
            className="rounded-md bg-danger px-2 py-1 text-xs font-medium text-white"
            disabled={busy}
            onClick={() => void write(true)}
            data-testid="code-apply-overwrite"
          >
            {t("chat.code.overwrite")}
          </button>
        </>
      ) : (
        <button
          type="submit"
          className="rounded-md bg-accent px-2 py-1 text-xs font-medium text-accent-fg"
          disabled={busy || !target}
          data-testid="code-apply-write"
        >
          {t("chat.code.write")}
        </button>
      )}
      <button type="button" className={actionClass} onClick={onDone}>
        {t("chat.code.cancel")}
      </button>
      {error ? (
        <p className="basis-full text-xs text-danger" role="alert" data-testid="code-apply-error">
          {error.message} <code className="font-mono">{error.code}</code>
        </p>
      ) : null}
    </form>
  )
}
