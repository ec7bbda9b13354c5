import type { User } from "@xionimus/protocol"
import type { AuditFilter } from "@xionimus/sdk"
import { type FormEvent, useState } from "react"
import { useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { Field } from "../../components/field.tsx"
import { daysInOrder, daysOfRange, rangeOfDays } from "./audit-range.ts"

/** Actions offered as suggestions (docs/auth.md "Audit log"); any other exact action may be typed. */
const knownActions = [
  "auth.login",
  "auth.logout",
  "auth.setup",
  "auth.password.changed",
  "auth.password.reset",
  "auth.totp.enabled",
  "auth.totp.disabled",
  "api-key.created",
  "api-key.rotated",
  "api-key.revoked",
  "team.created",
  "team.role.changed",
  "team.member.removed",
  "team.invitation.created",
  "team.invitation.accepted",
  "team.invitation.revoked",
  "team.policy.changed",
  "session.revoked",
  "user.created",
  "account.exported",
  "account.renamed",
  "account.preferences.changed",
  "account.deleted",
  "access.denied",
] as const

/** The audit filters the API has: exact action, actor, target, and a range of days. */
export function AuditFilters({
  filter,
  users,
  onApply,
}: {
  filter: AuditFilter
  users: User[]
  onApply: (filter: AuditFilter) => void
}) {
  const t = useT()
  const [action, setAction] = useState(filter.action ?? "")
  const [actor, setActor] = useState(filter.actor ?? "")
  const [target, setTarget] = useState(filter.target ?? "")
  const initial = daysOfRange(filter)
  const [fromDay, setFromDay] = useState(initial.fromDay)
  const [toDay, setToDay] = useState(initial.toDay)
  const ordered = daysInOrder(fromDay, toDay)

  function submit(event: FormEvent): void {
    event.preventDefault()
    if (!ordered) return
    onApply({ action, actor, target, ...rangeOfDays(fromDay, toDay) })
  }

  return (
    <form
      className="flex flex-wrap items-end gap-3"
      onSubmit={submit}
      data-testid="audit-filters"
      aria-label={t("settings.audit.filters")}
    >
      <div className="min-w-48 flex-1">
        <Field
          id="audit-action"
          label={t("settings.audit.action")}
          list="audit-actions"
          placeholder="auth.login"
          value={action}
          onChange={(event) => setAction(event.target.value)}
          data-testid="audit-filter-action"
        />
        <datalist id="audit-actions">
          {knownActions.map((item) => (
            <option key={item} value={item} />
          ))}
        </datalist>
      </div>
      <label className="flex flex-col gap-1.5 text-[13px] font-medium text-fg">
        {t("settings.audit.actor")}
        <select
          className="h-9 max-w-64 rounded-lg border border-line-strong bg-surface px-2"
          value={actor}
          onChange={(event) => setActor(event.target.value)}
          data-testid="audit-filter-actor"
        >
          <option value="">{t("settings.audit.anyone")}</option>
          {users.map((user) => (
            <option key={user.id} value={user.id}>
              {user.name} ({user.email})
            </option>
          ))}
        </select>
      </label>
      <div className="min-w-40">
        <Field
          id="audit-target"
          label={t("settings.audit.target")}
          value={target}
          onChange={(event) => setTarget(event.target.value)}
          data-testid="audit-filter-target"
        />
      </div>
      <div className="w-40">
        <Field
          id="audit-from"
          label={t("settings.gaps.auditFrom")}
          type="date"
          value={fromDay}
          max={toDay || undefined}
          onChange={(event) => setFromDay(event.target.value)}
          aria-invalid={!ordered}
          aria-describedby={ordered ? undefined : "audit-range-error"}
          data-testid="audit-filter-from"
        />
      </div>
      <div className="w-40">
        <Field
          id="audit-to"
          label={t("settings.gaps.auditTo")}
          type="date"
          value={toDay}
          min={fromDay || undefined}
          onChange={(event) => setToDay(event.target.value)}
          aria-invalid={!ordered}
          aria-describedby={ordered ? undefined : "audit-range-error"}
          data-testid="audit-filter-to"
        />
      </div>
      <Button type="submit" variant="primary" disabled={!ordered} data-testid="audit-filter-apply">
        {t("settings.audit.apply")}
      </Button>
      <Button
        onClick={() => {
          setAction("")
          setActor("")
          setTarget("")
          setFromDay("")
          setToDay("")
          onApply({})
        }}
        data-testid="audit-filter-clear"
      >
        {t("settings.audit.clear")}
      </Button>
      {ordered ? null : (
        <p
          id="audit-range-error"
          role="alert"
          className="w-full text-[13px] text-danger"
          data-testid="audit-range-error"
        >
          {t("settings.gaps.auditRangeOrder")}
        </p>
      )}
    </form>
  )
}
