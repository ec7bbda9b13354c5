import type { ComponentType } from "react"
import type { MessageKey } from "../../i18n/en.ts"

/** One section of the settings screen: its route name, its label and the component that renders it. */
export interface SettingsSection {
  name: string
  label: MessageKey
  /** Loaded when the section is first opened, so settings cost nothing on the app's first load. */
  load: () => Promise<{ default: ComponentType }>
}

/** The sections in the order of the settings navigation; the first one opens by default. */
export const settingsSections: readonly SettingsSection[] = [
  { name: "providers", label: "settings.section.providers", load: () => import("./providers-section.tsx") },
  {
    name: "permissions",
    label: "settings.section.permissions",
    load: () => import("./permissions-section.tsx"),
  },
  { name: "usage", label: "settings.section.usage", load: () => import("./usage-section.tsx") },
  { name: "profile", label: "settings.section.profile", load: () => import("./profile-section.tsx") },
  { name: "team", label: "settings.section.team", load: () => import("./team-section.tsx") },
  { name: "audit", label: "settings.section.audit", load: () => import("./audit-section.tsx") },
]
