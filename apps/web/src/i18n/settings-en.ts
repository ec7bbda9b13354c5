/** The settings screens' texts (English). Each settings section adds its keys here, prefixed `settings.`. */
export const settingsEn = {
  "nav.settings": "Settings",
  "settings.title": "Settings",
  "settings.subtitle": "Your account, your team, models and what they cost.",
  "settings.loading": "Loading…",
  "settings.nav": "Settings sections",
  "settings.section.providers": "Providers and models",
  "settings.section.permissions": "Permissions",
  "settings.section.usage": "Usage and cost",
  "settings.section.profile": "Profile and security",
  "settings.section.team": "Team and invitations",
  "settings.section.audit": "Audit log",
  "settings.notFound": "There is no settings section “{name}”.",
} as const
