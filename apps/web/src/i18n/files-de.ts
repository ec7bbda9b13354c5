import type { filesEn } from "./files-en.ts"

/** German texts of the file tree's operations (merged into de.ts). */
export const filesDe: Record<keyof typeof filesEn, string> = {
  "tree.toolbar": "Dateiaktionen",
  "tree.newFile": "Neue Datei",
  "tree.newFolder": "Neuer Ordner",
  "tree.newIn": "Neue Einträge landen in {dir}",
  "tree.actionsFor": "Aktionen für {name}",
  "tree.menu.label": "Aktionen für {name}",
  "tree.menu.open": "Öffnen",
  "tree.menu.newFile": "Neue Datei hier",
  "tree.menu.newFolder": "Neuer Ordner hier",
  "tree.menu.rename": "Umbenennen",
  "tree.menu.move": "Verschieben nach …",
  "tree.menu.download": "Herunterladen",
  "tree.menu.delete": "Löschen",
  "tree.name.file": "Name der neuen Datei",
  "tree.name.directory": "Name des neuen Ordners",
  "tree.name.rename": "Neuer Name für {name}",
  "tree.name.hint": "Enter speichert, Escape bricht ab.",
  "tree.name.empty": "Bitte einen Namen eingeben.",
  "tree.name.slash":
    "Ein Name darf weder / noch \\ enthalten. Um einen Eintrag in einen anderen Ordner zu legen, „Verschieben nach …“ verwenden.",
  "tree.name.dots": "„.“ und „..“ sind als Namen nicht erlaubt.",
  "tree.cancel": "Abbrechen",
  "tree.close": "Schließen",
  "tree.delete.title": "„{name}“ löschen?",
  "tree.delete.file":
    "Die Datei wird aus dem Projekt entfernt. Einige Sekunden lang lässt sich das danach rückgängig machen.",
  "tree.delete.directory":
    "Der Ordner und alles darin werden aus dem Projekt entfernt. Das lässt sich hier nicht rückgängig machen.",
  "tree.delete.confirm": "Löschen",
  "tree.deleted": "„{name}“ wurde gelöscht.",
  "tree.undo": "Rückgängig",
  "tree.restored": "„{name}“ ist wieder da.",
  "tree.move.title": "„{name}“ verschieben",
  "tree.move.destination": "Zielordner",
  "tree.move.hint": "Ein Ordnerpfad ab der Projektwurzel, zum Beispiel src/lib. Leer lassen für die Wurzel.",
  "tree.move.submit": "Verschieben",
  "tree.move.intoItself":
    "Ein Ordner lässt sich nicht in sich selbst oder einen seiner Unterordner verschieben.",
  "tree.move.same": "„{name}“ liegt bereits in diesem Ordner.",
  "tree.moved": "„{name}“ wurde nach {dir} verschoben.",
  "tree.dropInto": "Loslassen, um nach {dir} zu verschieben",
}
