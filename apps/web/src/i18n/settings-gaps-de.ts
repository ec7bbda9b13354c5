import type { settingsGapsEn } from "./settings-gaps-en.ts"

/** Texte der mit den Konto-Routen ergänzten Einstellungen: Anzeigename, offene Einladungen, Zeitraum, Standardmodell. */
export const settingsGapsDe: Record<keyof typeof settingsGapsEn, string> = {
  "settings.gaps.nameHint": "Für Ihr Team sichtbar: Mitglieder, Kommentare, Audit-Protokoll.",
  "settings.gaps.nameSave": "Namen speichern",
  "settings.gaps.nameSaved": "Name gespeichert.",
  "settings.gaps.pendingTitle": "Offene Einladungen",
  "settings.gaps.pendingBody":
    "Einladungen, die noch nicht angenommen und nicht abgelaufen sind. Ihre Links werden nur beim Erstellen angezeigt; widerrufen Sie eine, damit ihr Link nicht mehr funktioniert.",
  "settings.gaps.pendingNone": "Keine offenen Einladungen.",
  "settings.gaps.pendingLine": "Als {role} · gültig bis {date} · eingeladen von {inviter}",
  "settings.gaps.inviterUnknown": "jemandem, der nicht mehr da ist",
  "settings.gaps.revoke": "Widerrufen",
  "settings.gaps.revokeFor": "Einladung für {email} widerrufen",
  "settings.gaps.revokeConfirm": "Einladung für {email} widerrufen",
  "settings.gaps.auditFrom": "Von (Tag)",
  "settings.gaps.auditTo": "Bis (Tag, einschließlich)",
  "settings.gaps.auditRangeOrder":
    "Der erste Tag liegt nach dem letzten. Tauschen Sie sie oder leeren Sie eines der Felder.",
  "settings.gaps.defaultModelSaved":
    "In Ihrem Konto gespeichert: Neue Sitzungen beginnen in jedem Browser mit diesem Modell.",
}
