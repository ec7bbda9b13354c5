import { lazy } from "react"

/** CodeMirror and the editor are one chunk of their own, fetched when a text file is first shown. */
export const LazyCodeEditor = lazy(() => import("./code-editor.tsx"))
/** @codemirror/merge with the diff view, fetched when a diff is first opened. */
export const LazyDiffView = lazy(() => import("./diff-view.tsx"))
