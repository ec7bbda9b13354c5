import { useT } from "../../app-context.tsx"

/** Placeholder until the section is built. */
export default function PermissionsSection() {
  const t = useT()
  return <p className="text-muted">{t("settings.section.permissions")}</p>
}
