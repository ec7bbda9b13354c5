import type { settingsEn } from "./settings-en.ts"

/** The settings screens' texts (German), typed against the English keys. */
export const settingsDe: Record<keyof typeof settingsEn, string> = {
  "nav.settings": "Einstellungen",
  "settings.title": "Einstellungen",
  "settings.subtitle": "Ihr Konto, Ihr Team, die Modelle und was sie kosten.",
  "settings.loading": "Wird geladen…",
  "settings.nav": "Bereiche der Einstellungen",
  "settings.section.providers": "Anbieter und Modelle",
  "settings.section.permissions": "Berechtigungen",
  "settings.section.usage": "Verbrauch und Kosten",
  "settings.section.profile": "Profil und Sicherheit",
  "settings.section.team": "Team und Einladungen",
  "settings.section.audit": "Audit-Protokoll",
  "settings.notFound": "Einen Einstellungsbereich „{name}“ gibt es nicht.",
}
