import type { ApiError } from "@xionimus/sdk"
import { type FormEvent, useState } from "react"
import { useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { Field } from "../../components/field.tsx"
import type { Profile } from "../../stores/settings-profile-store.ts"

/** The display name others see (team members, comments, audit log), changed in place. */
export function ProfileName({ profile, name }: { profile: Profile; name: string }) {
  const t = useT()
  const [value, setValue] = useState(name)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [saved, setSaved] = useState(false)
  const changed = value.trim() !== "" && value.trim() !== name

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault()
    if (!changed) return
    setBusy(true)
    setSaved(false)
    const failure = await profile.rename(value)
    setBusy(false)
    setError(failure)
    if (!failure) {
      setValue(value.trim())
      setSaved(true)
    }
  }

  return (
    <form className="flex max-w-md flex-col gap-2" onSubmit={submit} data-testid="profile-name-form">
      <Field
        id="profile-name"
        label={t("auth.name")}
        autoComplete="name"
        maxLength={100}
        required
        value={value}
        onChange={(event) => {
          setValue(event.target.value)
          setSaved(false)
        }}
        data-testid="profile-name-input"
      />
      <p className="text-xs text-muted">{t("settings.gaps.nameHint")}</p>
      {error ? <ErrorNotice error={error} compact testId="profile-name-error" /> : null}
      <div className="flex items-center gap-3">
        <Button
          type="submit"
          size="sm"
          variant="primary"
          disabled={busy || !changed}
          data-testid="profile-name-save"
        >
          {t("settings.gaps.nameSave")}
        </Button>
        {saved ? (
          <span role="status" className="text-[13px] text-success" data-testid="profile-name-saved">
            {t("settings.gaps.nameSaved")}
          </span>
        ) : null}
      </div>
    </form>
  )
}
