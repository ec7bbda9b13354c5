import { historyField, indentWithTab } from "@codemirror/commands"
import { Compartment, EditorState, Prec } from "@codemirror/state"
import { EditorView, keymap } from "@codemirror/view"
import { basicSetup } from "codemirror"
import { useEffect, useRef } from "react"
import { phrasesFor } from "./editor-phrases.ts"
import { editorTheme } from "./editor-theme.ts"
import { languageFor } from "./language-for.ts"

export interface CodeEditorProps {
  path: string
  text: string
  dark: boolean
  locale: string
  /** The editor's accessible name. */
  label: string
  /** Undo history and selection kept between mounts (tab switches), as JSON. */
  viewStates?: Map<string, unknown>
  onChange(text: string): void
  onSave(): void
}

/**
 * CodeMirror 6 over one buffer: line numbers, folding, bracket matching, multiple cursors (Alt+drag for a
 * rectangle, Ctrl/Cmd+D adds the next occurrence), search and replace (Ctrl/Cmd+F), history,
 * autoindent, the language by file name, Ctrl/Cmd+S saves. This module and CodeMirror form their own
 * chunk, loaded when a text file is first shown.
 */
export default function CodeEditor(props: CodeEditorProps) {
  const { path, text, dark, locale, label, onChange, onSave, viewStates } = props
  const parent = useRef<HTMLDivElement>(null)
  const view = useRef<EditorView | null>(null)
  const compartments = useRef({
    language: new Compartment(),
    theme: new Compartment(),
    phrases: new Compartment(),
  })
  /** The text this editor last reported, so that our own change coming back as a prop is not re-applied. */
  const reported = useRef(text)
  const handlers = useRef({ onChange, onSave })
  handlers.current = { onChange, onSave }

  // One view per mount (the parent keys this component by path).
  // biome-ignore lint/correctness/useExhaustiveDependencies: the view is created once; props flow in below
  useEffect(() => {
    if (!parent.current) return
    const { language, theme, phrases } = compartments.current
    const extensions = [
      Prec.highest(
        keymap.of([
          {
            key: "Mod-s",
            preventDefault: true,
            run: () => {
              handlers.current.onSave()
              return true
            },
          },
        ]),
      ),
      basicSetup,
      keymap.of([indentWithTab]),
      language.of([]),
      theme.of(editorTheme(dark)),
      phrases.of(EditorState.phrases.of(phrasesFor(locale))),
      EditorView.contentAttributes.of({ "aria-label": label, "data-testid": "editor-content" }),
      EditorView.updateListener.of((update) => {
        if (!update.docChanged) return
        const next = update.state.doc.toString()
        reported.current = next
        handlers.current.onChange(next)
      }),
    ]
    // The same file seen before in this pane: its undo history and selection come back (if the text
    // is still the same; a change meanwhile starts afresh).
    const kept = viewStates?.get(path)
    let state = EditorState.create({ doc: text, extensions })
    if (kept && (kept as { doc?: unknown }).doc === text) {
      try {
        state = EditorState.fromJSON(kept, { extensions }, { history: historyField })
      } catch {
        // A state from an older build: start afresh.
      }
    }
    const created = new EditorView({ parent: parent.current, state })
    view.current = created
    let cancelled = false
    void languageFor(path).then((support) => {
      if (!cancelled && support) created.dispatch({ effects: language.reconfigure(support) })
    })
    return () => {
      cancelled = true
      viewStates?.set(path, created.state.toJSON({ history: historyField }))
      created.destroy()
      view.current = null
    }
  }, [])

  useEffect(() => {
    view.current?.dispatch({ effects: compartments.current.theme.reconfigure(editorTheme(dark)) })
  }, [dark])

  useEffect(() => {
    view.current?.dispatch({
      effects: compartments.current.phrases.reconfigure(EditorState.phrases.of(phrasesFor(locale))),
    })
  }, [locale])

  // The buffer changed from outside (their version reloaded, a draft discarded): show it.
  useEffect(() => {
    const current = view.current
    if (!current || text === reported.current) return
    reported.current = text
    if (current.state.doc.toString() !== text)
      current.dispatch({ changes: { from: 0, to: current.state.doc.length, insert: text } })
  }, [text])

  return <div ref={parent} className="h-full min-h-0" data-testid="code-editor" data-path={path} />
}
