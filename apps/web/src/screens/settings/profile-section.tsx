import { useT } from "../../app-context.tsx"

/** Placeholder until the section is built. */
export default function ProfileSection() {
  const t = useT()
  return <p className="text-muted">{t("settings.section.profile")}</p>
}
