import type { TeamRole } from "@xionimus/protocol"
import type { ApiError, TeamMember } from "@xionimus/sdk"
import { useState } from "react"
import { useLocale, useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { ConfirmButton } from "../../components/confirm-button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { formatDate } from "../../lib/format.ts"
import { useStore } from "../../lib/store.ts"
import { canManage, type TeamSettings } from "../../stores/settings-team-store.ts"
import { ProfilePanel } from "./profile-panel.tsx"

export const teamRoles: readonly TeamRole[] = ["owner", "editor", "commenter", "viewer"]

/** The chosen team's members: role per member (owners change it), remove (owners). */
export function TeamMembers({ team }: { team: TeamSettings }) {
  const t = useT()
  const state = useStore(team.state)
  const manage = canManage(state)
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)

  async function run(action: () => Promise<ApiError | null>): Promise<void> {
    setBusy(true)
    setError(await action())
    setBusy(false)
  }

  return (
    <ProfilePanel title={t("settings.team.members")} testId="team-members">
      {manage ? null : (
        <p className="text-sm text-muted" data-testid="team-not-owner">
          {t("settings.team.ownerOnly")}
        </p>
      )}
      {error ? <ErrorNotice error={error} compact testId="team-error" /> : null}
      <ul
        className="divide-y divide-line rounded-lg border border-line"
        aria-label={t("settings.team.members")}
      >
        {state.members.map((member) => (
          <MemberRow
            key={member.userId}
            member={member}
            you={member.userId === state.me?.id}
            manage={manage}
            busy={busy}
            onRole={(role) => run(() => team.setRole(member.userId, role))}
            onRemove={() => run(() => team.removeMember(member.userId))}
          />
        ))}
      </ul>
      {state.membersCursor ? (
        <Button
          size="sm"
          variant="secondary"
          disabled={busy}
          onClick={() => void run(() => team.moreMembers())}
          data-testid="team-members-more"
          className="self-start"
        >
          {t("settings.team.more")}
        </Button>
      ) : null}
    </ProfilePanel>
  )
}

function MemberRow({
  member,
  you,
  manage,
  busy,
  onRole,
  onRemove,
}: {
  member: TeamMember
  you: boolean
  manage: boolean
  busy: boolean
  onRole: (role: TeamRole) => void
  onRemove: () => void
}) {
  const t = useT()
  const locale = useLocale()
  const reason = manage ? undefined : t("settings.team.ownerOnly")
  const selectId = `role-${member.userId}`
  return (
    <li
      className="flex flex-wrap items-center gap-3 px-4 py-3"
      data-testid="team-member"
      data-email={member.email}
      data-role={member.role}
    >
      <div className="min-w-48 flex-1">
        <p className="font-medium text-fg">
          {member.name}
          {you ? <span className="ml-2 text-xs text-muted">{t("settings.team.you")}</span> : null}
        </p>
        <p className="text-xs text-muted">
          {member.email} · {t("settings.team.since", { date: formatDate(member.createdAt, locale) })}
        </p>
      </div>
      <label htmlFor={selectId} className="sr-only">
        {t("settings.team.roleOf", { name: member.name })}
      </label>
      <select
        id={selectId}
        className="h-8 rounded-lg border border-line-strong bg-surface px-2 text-[13px] disabled:opacity-60"
        value={member.role}
        disabled={!manage || busy}
        title={reason}
        onChange={(event) => onRole(event.target.value as TeamRole)}
        data-testid="team-member-role"
      >
        {teamRoles.map((role) => (
          <option key={role} value={role}>
            {t(`settings.role.${role}`)}
          </option>
        ))}
      </select>
      {manage ? (
        <ConfirmButton
          label={t("settings.team.remove")}
          confirmLabel={t("settings.team.removeConfirm", { name: member.name })}
          cancelLabel={t("settings.cancel")}
          busy={busy}
          onConfirm={onRemove}
          testId="team-member-remove"
        />
      ) : null}
    </li>
  )
}
