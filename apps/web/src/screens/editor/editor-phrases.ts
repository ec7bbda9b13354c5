/**
 * CodeMirror's own interface words (search panel, folding, go to line) in German; English is built in.
 * The keys are CodeMirror's phrases, not our message keys.
 */
export const germanPhrases: Record<string, string> = {
  Find: "Suchen",
  Replace: "Ersetzen",
  next: "weiter",
  previous: "zurück",
  all: "alle",
  "match case": "Groß/klein beachten",
  regexp: "Regulärer Ausdruck",
  "by word": "ganzes Wort",
  replace: "ersetzen",
  "replace all": "alle ersetzen",
  close: "schließen",
  "current match": "aktueller Treffer",
  "replaced $ matches": "$ Treffer ersetzt",
  "replaced match on line $": "Treffer in Zeile $ ersetzt",
  "on line": "in Zeile",
  "Go to line": "Gehe zu Zeile",
  go: "los",
  "Folded lines": "Eingeklappte Zeilen",
  "Unfolded lines": "Ausgeklappte Zeilen",
  to: "bis",
  "folded code": "eingeklappter Code",
  unfold: "ausklappen",
  "Fold line": "Zeile einklappen",
  "Unfold line": "Zeile ausklappen",
  "Control character": "Steuerzeichen",
  "Selection deleted": "Auswahl gelöscht",
}

export function phrasesFor(locale: string): Record<string, string> {
  return locale.startsWith("de") ? germanPhrases : {}
}
