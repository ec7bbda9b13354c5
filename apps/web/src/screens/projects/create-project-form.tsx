import { type ApiError, type CreateProjectInput, newProgressId } from "@xionimus/sdk"
import { useEffect, useRef, useState } from "react"
import { useServices, useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { Field } from "../../components/field.tsx"
import { useStore } from "../../lib/store.ts"
import { toApiError } from "../../lib/to-api-error.ts"
import { followImport, type ImportProgressView } from "../../stores/import-progress.ts"
import { ImportProgressBar } from "./import-progress-bar.tsx"
import { type TemplateChoice, TemplatePicker } from "./template-picker.tsx"

type SourceKind = "template" | "git" | "zip"

function inputOf(
  name: string,
  kind: SourceKind,
  template: TemplateChoice,
  url: string,
  ref: string,
): CreateProjectInput {
  if (kind === "git") return { name, git: { url: url.trim(), ...(ref.trim() ? { ref: ref.trim() } : {}) } }
  return template === "empty" ? { name } : { name, template }
}

/** Name, then a template, a git URL or a zip archive; the import's progress shows; the new project opens. */
export function CreateProjectForm({ onCancel }: { onCancel: () => void }) {
  const { actions, templates, router, streams } = useServices()
  const t = useT()
  const available = useStore(templates.state)
  const [name, setName] = useState("")
  const [kind, setKind] = useState<SourceKind>("template")
  const [template, setTemplate] = useState<TemplateChoice>("empty")
  const [url, setUrl] = useState("")
  const [ref, setRef] = useState("")
  const [archive, setArchive] = useState<File | null>(null)
  const [busy, setBusy] = useState(false)
  const [progress, setProgress] = useState<ImportProgressView | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const archiveInput = useRef<HTMLInputElement>(null)

  useEffect(() => {
    void templates.load()
  }, [templates])

  async function submit(): Promise<void> {
    setBusy(true)
    setError(null)
    setProgress(null)
    // Git clones and zips take a while: the server publishes their progress on a stream we pick.
    const progressId = kind === "template" ? undefined : newProgressId()
    const stop = progressId ? followImport(streams, progressId, setProgress) : () => undefined
    try {
      const project =
        kind === "zip" && archive
          ? await actions.importZip({ name, file: archive, progressId: progressId! })
          : await actions.create({
              ...inputOf(name, kind, template, url, ref),
              ...(progressId ? { progressId } : {}),
            })
      router.navigate({ name: "project", projectId: project.id, path: null })
    } catch (caught) {
      setError(toApiError(caught))
      setBusy(false)
    } finally {
      stop()
    }
  }

  const tab = (value: SourceKind) =>
    `flex-1 rounded-md px-3 py-1.5 text-[13px] font-medium transition-colors ${
      kind === value ? "bg-surface text-fg shadow-sm" : "text-muted hover:text-fg"
    }`

  return (
    <form
      data-testid="create-form"
      className="flex flex-col gap-5"
      onSubmit={(event) => {
        event.preventDefault()
        void submit()
      }}
    >
      <Field
        id="create-name"
        label={t("create.name")}
        placeholder={t("create.namePlaceholder")}
        value={name}
        onChange={(event) => setName(event.target.value)}
        required
        maxLength={100}
        autoComplete="off"
        data-testid="create-name"
      />
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-2 text-[13px] font-medium">{t("create.source")}</legend>
        <div className="flex rounded-lg bg-sunken p-1">
          <button
            type="button"
            aria-pressed={kind === "template"}
            className={tab("template")}
            onClick={() => setKind("template")}
            data-testid="create-kind-template"
          >
            {t("create.fromTemplate")}
          </button>
          <button
            type="button"
            aria-pressed={kind === "git"}
            className={tab("git")}
            onClick={() => setKind("git")}
            data-testid="create-kind-git"
          >
            {t("create.fromGit")}
          </button>
          <button
            type="button"
            aria-pressed={kind === "zip"}
            className={tab("zip")}
            onClick={() => setKind("zip")}
            data-testid="create-kind-zip"
          >
            {t("create.fromZip")}
          </button>
        </div>
        {kind === "zip" ? (
          <div className="flex flex-col gap-2">
            <input
              ref={archiveInput}
              id="create-zip"
              type="file"
              accept=".zip,application/zip"
              className="sr-only"
              data-testid="create-zip-input"
              onChange={(event) => {
                const file = event.target.files?.[0] ?? null
                setArchive(file)
                if (file && name.trim() === "") setName(file.name.replace(/\.zip$/i, ""))
              }}
            />
            <div className="flex items-center gap-3">
              <Button onClick={() => archiveInput.current?.click()} data-testid="create-zip-choose">
                {t("create.chooseZip")}
              </Button>
              <span className="min-w-0 truncate text-[13px] text-muted" data-testid="create-zip-name">
                {archive ? archive.name : t("create.noZip")}
              </span>
            </div>
          </div>
        ) : kind === "template" ? (
          <TemplatePicker
            options={["empty", ...available.items.map((item) => item.id)]}
            value={template}
            onChange={setTemplate}
          />
        ) : (
          <div className="flex flex-col gap-3">
            <Field
              id="create-git-url"
              label={t("create.gitUrl")}
              placeholder="https://example.com/team/repo.git"
              value={url}
              onChange={(event) => setUrl(event.target.value)}
              required
              type="text"
              inputMode="url"
              autoComplete="off"
              spellCheck={false}
              data-testid="create-git-url"
            />
            <Field
              id="create-git-ref"
              label={t("create.gitRef")}
              hint={t("create.optional")}
              placeholder="main"
              value={ref}
              onChange={(event) => setRef(event.target.value)}
              autoComplete="off"
              spellCheck={false}
              data-testid="create-git-ref"
            />
          </div>
        )}
        {available.error && kind === "template" ? (
          <ErrorNotice error={available.error} compact onRetry={() => void templates.load()} />
        ) : null}
      </fieldset>
      {busy && kind !== "template" ? <ImportProgressBar progress={progress} /> : null}
      {error ? <ErrorNotice error={error} testId="create-error" /> : null}
      <div className="flex justify-end gap-2 border-t border-line pt-4">
        <Button variant="ghost" onClick={onCancel}>
          {t("create.cancel")}
        </Button>
        <Button
          type="submit"
          variant="primary"
          disabled={busy || name.trim() === "" || (kind === "zip" && !archive)}
          data-testid="create-submit"
        >
          {busy ? t("create.creating") : t("create.submit")}
        </Button>
      </div>
    </form>
  )
}
