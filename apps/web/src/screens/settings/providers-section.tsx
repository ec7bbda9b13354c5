import { useT } from "../../app-context.tsx"

/** Placeholder until the section is built. */
export default function ProvidersSection() {
  const t = useT()
  return <p className="text-muted">{t("settings.section.providers")}</p>
}
