import type { editorEn } from "./editor-en.ts"

/** Die Texte des Editors (Deutsch), in de.ts eingebunden. */
export const editorDe: Record<keyof typeof editorEn, string> = {
  "editor.tabs": "Geöffnete Dateien",
  "editor.tab.close": "{name} schließen",
  "editor.tab.unsaved": "ungespeicherte Änderungen",
  "editor.label": "Inhalt von {name}",
  "editor.loading": "Editor wird geladen …",
  "editor.save": "Speichern",
  "editor.saving": "Wird gespeichert …",
  "editor.saveLabel": "{name} speichern (Strg+S)",
  "editor.saved": "Gespeichert",
  "editor.unsaved": "Nicht gespeichert",
  "editor.restored": "Ihre ungespeicherten Änderungen vom letzten Mal wurden wiederhergestellt.",
  "editor.restored.keep": "Behalten",
  "editor.restored.discard": "Verwerfen",
  "editor.conflict.save":
    "Diese Datei wurde von jemand anderem geändert, seit Sie sie geöffnet haben; Ihr Speichern wurde deshalb abgelehnt. Ihre Änderungen sind noch da: Wählen Sie, welche Fassung gelten soll.",
  "editor.conflict.changed":
    "Diese Datei hat sich geändert, während Sie ungespeicherte Änderungen hatten. Ihre Änderungen sind noch da: Wählen Sie, welche Fassung gelten soll.",
  "editor.conflict.deleted":
    "Diese Datei wurde gelöscht oder verschoben, während Sie ungespeicherte Änderungen hatten. Speichern Sie Ihre Fassung, um sie neu anzulegen, oder verwerfen Sie sie.",
  "editor.conflict.takeTheirs": "Deren Fassung laden (meine verwerfen)",
  "editor.conflict.overwrite": "Mit meiner überschreiben",
  "editor.conflict.recreate": "Meine als Datei speichern",
  "editor.conflict.discard": "Meine verwerfen",
  "editor.conflict.compare": "Vergleichen",
  "editor.storageFull":
    "Der Speicher dieses Browsers ist voll; ungespeicherte Änderungen gingen beim Neuladen verloren. Speichern Sie Ihre Dateien oder schließen Sie einige Tabs.",
  "editor.close.title": "Ungespeicherte Änderungen verwerfen?",
  "editor.close.body":
    "„{name}“ hat Änderungen, die nicht gespeichert sind. Beim Schließen des Tabs gehen sie verloren.",
  "editor.close.discard": "Verwerfen und schließen",
  "editor.close.cancel": "Weiter bearbeiten",
  "diff.title": "Änderungen in {name}",
  "diff.conflictTitle": "{name}: deren und Ihre Fassung",
  "diff.before": "Vorher",
  "diff.after": "Nachher",
  "diff.theirs": "Deren Fassung (auf dem Server)",
  "diff.mine": "Ihre Fassung (ungespeichert)",
  "diff.close": "Vergleich schließen",
  "diff.loading": "Vergleich wird geladen …",
  "diff.same": "Keine Unterschiede.",
  "diff.afterOnly":
    "Die Sitzung enthält den früheren Inhalt dieser Datei nicht; gezeigt wird alles, was der Agent geschrieben hat.",
  "diff.fragments":
    "Die Datei hat sich seit diesem Aufruf geändert; gezeigt wird nur der ersetzte Text und was an seine Stelle kam.",
  "diff.error": "Der Vergleich konnte nicht geladen werden.",
  "diff.open": "Änderungen ansehen",
  "diff.openLabel": "Änderungen an {path} ansehen",
}
