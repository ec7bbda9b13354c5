import type { PendingInvitation } from "@xionimus/protocol"
import type { ApiError } from "@xionimus/sdk"
import { useState } from "react"
import { useLocale, useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { ConfirmButton } from "../../components/confirm-button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { useStore } from "../../lib/store.ts"
import { canManage, type TeamSettings } from "../../stores/settings-team-store.ts"
import { ProfilePanel } from "./profile-panel.tsx"

/** The chosen team's open invitations (owners): address, role, expiry, who sent it; revoke one. */
export function TeamPendingInvitations({ team }: { team: TeamSettings }) {
  const t = useT()
  const state = useStore(team.state)
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  if (!canManage(state)) return null

  async function revoke(invitationId: string): Promise<void> {
    setBusy(true)
    setError(await team.revokeInvitation(invitationId))
    setBusy(false)
  }

  async function more(): Promise<void> {
    setBusy(true)
    setError(await team.morePending())
    setBusy(false)
  }

  return (
    <ProfilePanel
      title={t("settings.gaps.pendingTitle")}
      description={t("settings.gaps.pendingBody")}
      testId="team-pending"
    >
      {state.pendingError ? (
        <ErrorNotice
          error={state.pendingError}
          compact
          onRetry={() => team.load()}
          testId="team-pending-error"
        />
      ) : null}
      {error ? <ErrorNotice error={error} compact testId="team-pending-revoke-error" /> : null}
      {state.pending.length === 0 ? (
        <p className="text-sm text-muted" data-testid="team-pending-none">
          {t("settings.gaps.pendingNone")}
        </p>
      ) : (
        <ul
          className="divide-y divide-line rounded-lg border border-line"
          aria-label={t("settings.gaps.pendingTitle")}
        >
          {state.pending.map((invitation) => (
            <PendingRow
              key={invitation.id}
              invitation={invitation}
              busy={busy}
              onRevoke={() => revoke(invitation.id)}
            />
          ))}
        </ul>
      )}
      {state.pendingCursor ? (
        <Button
          size="sm"
          variant="secondary"
          disabled={busy}
          onClick={() => void more()}
          data-testid="team-pending-more"
          className="self-start"
        >
          {t("settings.team.more")}
        </Button>
      ) : null}
    </ProfilePanel>
  )
}

function PendingRow({
  invitation,
  busy,
  onRevoke,
}: {
  invitation: PendingInvitation
  busy: boolean
  onRevoke(): void
}) {
  const t = useT()
  const locale = useLocale()
  const inviter = invitation.invitedBy.name ?? invitation.invitedBy.email ?? t("settings.gaps.inviterUnknown")
  const expires = new Date(invitation.expiresAt).toLocaleString(locale, {
    dateStyle: "medium",
    timeStyle: "short",
  })
  return (
    <li
      className="flex flex-wrap items-center gap-3 px-3 py-2.5"
      data-testid="team-pending-invitation"
      data-email={invitation.email}
    >
      <div className="min-w-48 flex-1">
        <p className="text-sm font-medium text-fg">{invitation.email}</p>
        <p className="text-xs text-muted">
          {t("settings.gaps.pendingLine", {
            role: t(`settings.role.${invitation.role}`),
            date: expires,
            inviter,
          })}
        </p>
      </div>
      <ConfirmButton
        label={t("settings.gaps.revoke")}
        confirmLabel={t("settings.gaps.revokeConfirm", { email: invitation.email })}
        cancelLabel={t("settings.cancel")}
        ariaLabel={t("settings.gaps.revokeFor", { email: invitation.email })}
        busy={busy}
        onConfirm={onRevoke}
        testId="team-pending-revoke"
      />
    </li>
  )
}
