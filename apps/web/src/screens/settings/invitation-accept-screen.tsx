import type { ApiError } from "@xionimus/sdk"
import { useState } from "react"
import { useServices, useT } from "../../app-context.tsx"
import { Button, LinkButton } from "../../components/button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { routeHref } from "../../lib/router.ts"
import { toApiError } from "../../lib/to-api-error.ts"

/** `#/invitation?token=…`: join the team the link invites to, as the signed-in user. */
export function InvitationAcceptScreen({ token }: { token: string }) {
  const t = useT()
  const { account } = useServices()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [joined, setJoined] = useState<string | null>(null)

  async function accept(): Promise<void> {
    setBusy(true)
    setError(null)
    try {
      const team = await account.acceptInvitation(token)
      setJoined(team.name)
    } catch (caught) {
      setError(toApiError(caught))
    }
    setBusy(false)
  }

  return (
    <div className="mx-auto flex w-full max-w-lg flex-col gap-4 py-6" data-testid="invitation-screen">
      <h1 className="text-2xl font-semibold tracking-tight">{t("invitation.title")}</h1>
      {joined ? (
        <>
          <p role="status" className="text-fg" data-testid="invitation-joined">
            {t("invitation.joined", { team: joined })}
          </p>
          <div className="flex flex-wrap gap-2">
            <LinkButton variant="primary" href={routeHref({ name: "projects" })}>
              {t("invitation.toProjects")}
            </LinkButton>
            <LinkButton href={routeHref({ name: "settings", section: "team" })}>
              {t("invitation.toTeam")}
            </LinkButton>
          </div>
        </>
      ) : (
        <>
          <p className="text-muted">{token ? t("invitation.body") : t("invitation.noToken")}</p>
          {error ? (
            <>
              <ErrorNotice error={error} testId="invitation-error" />
              {error.code === "INVITATION_INVALID" ? (
                <p className="text-sm text-muted">{t("invitation.invalidHelp")}</p>
              ) : null}
            </>
          ) : null}
          <div>
            <Button
              variant="primary"
              disabled={busy || !token}
              onClick={accept}
              data-testid="invitation-accept"
            >
              {t("invitation.accept")}
            </Button>
          </div>
        </>
      )}
    </div>
  )
}
