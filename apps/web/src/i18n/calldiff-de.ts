import type { calldiffEn } from "./calldiff-en.ts"

/** Die Texte zu den Änderungen eines Agent-Aufrufs (Deutsch), in de.ts eingebunden. */
export const calldiffDe: Record<keyof typeof calldiffEn, string> = {
  "calldiff.open": "Änderungen ansehen",
  "calldiff.openLabel": "Die Dateien ansehen, die dieser Aufruf geändert hat",
  "calldiff.file": "Geänderte Datei",
  "calldiff.change.added": "neu",
  "calldiff.change.modified": "geändert",
  "calldiff.change.deleted": "gelöscht",
  "calldiff.change.type-changed": "Art geändert",
  "calldiff.omitted.binary": "Eine Binärdatei: Ihr Inhalt wird nicht gezeigt.",
  "calldiff.omitted.too-large": "Die Datei ist zu groß, um sie hier zu zeigen; öffnen Sie sie im Editor.",
  "calldiff.omitted.not-a-file":
    "Ein symbolischer Link oder ein eingebettetes Repository: Es gibt keinen Text zum Vergleichen.",
  "calldiff.none": "Dieser Aufruf hat keine Dateien geändert.",
  "calldiff.truncated": "Der Aufruf hat mehr Dateien geändert, als hier aufgeführt sind.",
  "calldiff.activityLabel": "Ansehen, was der Agent in {path} geändert hat",
  "commands.action.saveFile": "Datei speichern",
}
