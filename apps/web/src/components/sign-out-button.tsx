import { useServices, useT } from "../app-context.tsx"
import { SignOutIcon } from "./icons.tsx"

/** Ends the browser session and reloads, which shows the sign-in form. */
export function SignOutButton() {
  const { auth } = useServices()
  const t = useT()
  return (
    <button
      type="button"
      data-testid="sign-out"
      aria-label={t("auth.signOut")}
      title={t("auth.signOut")}
      // An icon on phones, where the header has no room left; icon and label from the small breakpoint up.
      className="inline-flex size-7 items-center justify-center gap-2 rounded-lg text-[13px] font-medium text-muted transition-colors hover:bg-sunken hover:text-fg sm:h-8 sm:w-auto sm:px-2.5"
      onClick={() => {
        void auth
          .logout()
          .catch(() => undefined)
          .then(() => window.location.reload())
      }}
    >
      <SignOutIcon />
      <span className="hidden sm:inline">{t("auth.signOut")}</span>
    </button>
  )
}
