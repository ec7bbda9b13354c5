import { defaultHighlightStyle, syntaxHighlighting } from "@codemirror/language"
import { MergeView, unifiedMergeView } from "@codemirror/merge"
import { EditorState, type Extension } from "@codemirror/state"
import { EditorView, lineNumbers } from "@codemirror/view"
import { useEffect, useRef, useState } from "react"
import { editorTheme } from "./editor-theme.ts"
import { languageFor } from "./language-for.ts"

export interface DiffViewProps {
  path: string
  before: string
  after: string
  dark: boolean
  beforeLabel: string
  afterLabel: string
}

/** Wide screens compare side by side; below this width the diff is one column (unified). */
const sideBySideQuery = "(min-width: 768px)"

function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches)
  useEffect(() => {
    const list = window.matchMedia(query)
    const onChange = () => setMatches(list.matches)
    list.addEventListener("change", onChange)
    return () => list.removeEventListener("change", onChange)
  }, [query])
  return matches
}

/**
 * A read-only diff with @codemirror/merge: two aligned editors side by side on wide screens, one
 * unified column (deleted lines above the inserted ones) on narrow ones. Long unchanged stretches fold.
 */
export default function DiffView({ path, before, after, dark, beforeLabel, afterLabel }: DiffViewProps) {
  const parent = useRef<HTMLDivElement>(null)
  const sideBySide = useMediaQuery(sideBySideQuery)
  const [language, setLanguage] = useState<Extension | null>(null)

  useEffect(() => {
    let cancelled = false
    void languageFor(path).then((support) => {
      if (!cancelled) setLanguage(support)
    })
    return () => {
      cancelled = true
    }
  }, [path])

  useEffect(() => {
    const target = parent.current
    if (!target) return
    const common = (label: string): Extension => [
      lineNumbers(),
      EditorState.readOnly.of(true),
      EditorView.editable.of(false),
      EditorView.lineWrapping,
      syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
      editorTheme(dark),
      EditorView.contentAttributes.of({ "aria-label": label }),
      language ?? [],
    ]
    const collapseUnchanged = { margin: 3, minSize: 6 }
    if (sideBySide) {
      const merge = new MergeView({
        a: { doc: before, extensions: common(beforeLabel) },
        b: { doc: after, extensions: common(afterLabel) },
        parent: target,
        collapseUnchanged,
      })
      return () => merge.destroy()
    }
    const unified = new EditorView({
      parent: target,
      state: EditorState.create({
        doc: after,
        extensions: [
          common(`${beforeLabel} → ${afterLabel}`),
          unifiedMergeView({ original: before, mergeControls: false, collapseUnchanged }),
        ],
      }),
    })
    return () => unified.destroy()
  }, [before, after, dark, sideBySide, language, beforeLabel, afterLabel])

  return (
    <div
      className="flex min-h-0 flex-1 flex-col"
      data-testid="diff-view"
      data-layout={sideBySide ? "split" : "unified"}
    >
      {sideBySide ? (
        <div className="grid shrink-0 grid-cols-2 border-b border-line text-xs font-medium text-muted">
          <span className="px-3 py-1.5" data-testid="diff-before-label">
            {beforeLabel}
          </span>
          <span className="border-l border-line px-3 py-1.5" data-testid="diff-after-label">
            {afterLabel}
          </span>
        </div>
      ) : null}
      <div ref={parent} className="min-h-0 flex-1 overflow-auto [&_.cm-mergeView]:min-h-full" />
    </div>
  )
}
