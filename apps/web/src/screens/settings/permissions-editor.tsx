import { PermissionAction, PermissionMode } from "@xionimus/protocol"
import { useT } from "../../app-context.tsx"
import { Button, IconButton } from "../../components/button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { CloseIcon } from "../../components/icons.tsx"
import { SkeletonRows } from "../../components/list-card.tsx"
import type { MessageKey } from "../../i18n/en.ts"
import { useStore } from "../../lib/store.ts"
import type { PermissionEditor } from "../../stores/settings-permissions-store.ts"
import { knownTools, type RuleProblem } from "./permissions-rules.ts"

const inputClass = "h-8 w-full rounded-md border border-line-strong bg-surface px-2 font-mono text-[13px]"

/** The mode and the rules of one settings owner (the user, or a project), saved together. */
export function PermissionsEditor({
  editor,
  idPrefix,
  allowNoMode,
  testId,
}: {
  editor: PermissionEditor
  idPrefix: string
  /** The user may leave the mode to each project; a project always has one. */
  allowNoMode: boolean
  testId: string
}) {
  const t = useT()
  const state = useStore(editor.state)
  if (state.status === "loading") return <SkeletonRows count={2} />
  if (state.status === "error" && state.loadError)
    return (
      <ErrorNotice error={state.loadError} onRetry={() => void editor.load()} testId={`${testId}-error`} />
    )
  const problemText = (problem: RuleProblem) =>
    `${t(`settings.permissions.problem.${problem.code}` as MessageKey)} (${problem.code})`
  const listProblems = state.problems.filter((problem) => problem.index === -1)
  return (
    <form
      noValidate
      data-testid={testId}
      className="flex flex-col gap-4 rounded-xl border border-line bg-surface p-5 shadow-xs"
      onSubmit={(event) => {
        event.preventDefault()
        void editor.save()
      }}
    >
      <div className="flex flex-col gap-1.5">
        <label htmlFor={`${idPrefix}-mode`} className="text-[13px] font-medium">
          {t("settings.permissions.mode")}
        </label>
        <select
          id={`${idPrefix}-mode`}
          data-testid={`${testId}-mode`}
          className="h-9 w-full max-w-md rounded-lg border border-line-strong bg-surface px-3"
          value={state.mode ?? ""}
          onChange={(event) =>
            editor.setMode(event.target.value ? (event.target.value as PermissionMode) : null)
          }
        >
          {allowNoMode ? <option value="">{t("settings.permissions.mode.none")}</option> : null}
          {PermissionMode.options.map((mode) => (
            <option key={mode} value={mode}>
              {t(`settings.permissions.mode.${mode}` as MessageKey)}
            </option>
          ))}
        </select>
        <p className="text-[13px] text-muted">
          {t(`settings.permissions.modeHelp.${state.mode ?? "none"}` as MessageKey)}
        </p>
      </div>
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-[13px] font-medium">{t("settings.permissions.rules")}</legend>
        <p className="text-[13px] text-muted">{t("settings.permissions.rulesHelp")}</p>
        {state.drafts.length === 0 ? (
          <p className="text-[13px] text-subtle" data-testid={`${testId}-empty`}>
            {t("settings.permissions.noRules")}
          </p>
        ) : null}
        <datalist id={`${idPrefix}-tools`}>
          {knownTools.map((tool) => (
            <option key={tool} value={tool} />
          ))}
        </datalist>
        {state.drafts.map((draft, index) => {
          const problems = state.problems.filter((problem) => problem.index === index)
          const rowId = `${idPrefix}-rule-${index}`
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: rules are edited in place and have no identity.
            <div key={index} data-testid="permission-rule" className="flex flex-col gap-1">
              <div className="grid grid-cols-[minmax(0,1fr)_auto_auto] items-end gap-2 sm:grid-cols-[minmax(0,1fr)_minmax(0,2fr)_auto_auto]">
                <div className="flex flex-col gap-0.5">
                  <label htmlFor={`${rowId}-tool`} className="text-xs text-muted">
                    {t("settings.permissions.tool")}
                  </label>
                  <input
                    id={`${rowId}-tool`}
                    data-testid="permission-rule-tool"
                    list={`${idPrefix}-tools`}
                    className={inputClass}
                    value={draft.tool}
                    aria-invalid={problems.some((problem) => problem.field === "tool") || undefined}
                    onChange={(event) => editor.updateRule(index, { tool: event.target.value })}
                  />
                </div>
                <div className="order-last col-span-full flex flex-col gap-0.5 sm:order-none sm:col-span-1">
                  <label htmlFor={`${rowId}-pattern`} className="text-xs text-muted">
                    {t("settings.permissions.pattern")}
                  </label>
                  <input
                    id={`${rowId}-pattern`}
                    data-testid="permission-rule-pattern"
                    className={inputClass}
                    value={draft.pattern}
                    placeholder="*"
                    aria-invalid={problems.some((problem) => problem.field === "pattern") || undefined}
                    onChange={(event) => editor.updateRule(index, { pattern: event.target.value })}
                  />
                </div>
                <div className="flex flex-col gap-0.5">
                  <label htmlFor={`${rowId}-action`} className="text-xs text-muted">
                    {t("settings.permissions.action")}
                  </label>
                  <select
                    id={`${rowId}-action`}
                    data-testid="permission-rule-action"
                    className="h-8 rounded-md border border-line-strong bg-surface px-2 text-[13px]"
                    value={draft.action}
                    onChange={(event) =>
                      editor.updateRule(index, { action: event.target.value as PermissionAction })
                    }
                  >
                    {PermissionAction.options.map((action) => (
                      <option key={action} value={action}>
                        {t(`settings.permissions.action.${action}` as MessageKey)}
                      </option>
                    ))}
                  </select>
                </div>
                <IconButton
                  label={t("settings.permissions.removeRule", { number: index + 1 })}
                  data-testid="permission-rule-remove"
                  onClick={() => editor.removeRule(index)}
                >
                  <CloseIcon className="size-4" />
                </IconButton>
              </div>
              {problems.map((problem) => (
                <p
                  key={problem.code}
                  role="alert"
                  data-testid="permission-rule-problem"
                  data-code={problem.code}
                  className="text-[13px] text-danger"
                >
                  {problemText(problem)}
                </p>
              ))}
            </div>
          )
        })}
        <div>
          <Button size="sm" data-testid={`${testId}-add`} onClick={() => editor.addRule()}>
            {t("settings.permissions.addRule")}
          </Button>
        </div>
      </fieldset>
      {listProblems.map((problem) => (
        <p key={problem.code} role="alert" className="text-[13px] text-danger">
          {problemText(problem)}
        </p>
      ))}
      {state.saveError ? (
        <ErrorNotice error={state.saveError} compact testId={`${testId}-save-error`} />
      ) : null}
      <div className="flex items-center gap-3">
        <Button type="submit" variant="primary" disabled={state.saving} data-testid={`${testId}-save`}>
          {t("settings.permissions.save")}
        </Button>
        {state.saved ? (
          <p role="status" className="text-[13px] text-muted" data-testid={`${testId}-saved`}>
            {t("settings.permissions.saved")}
          </p>
        ) : state.dirty ? (
          <p className="text-[13px] text-muted">{t("settings.permissions.unsaved")}</p>
        ) : null}
      </div>
    </form>
  )
}
