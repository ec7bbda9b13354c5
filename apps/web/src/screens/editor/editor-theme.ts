import { defaultHighlightStyle, HighlightStyle, syntaxHighlighting } from "@codemirror/language"
import type { Extension } from "@codemirror/state"
import { EditorView } from "@codemirror/view"

/** The default highlight colours, lightened for a dark background (same tags, readable contrast). */
const darkColours: Record<string, string> = {
  "#708": "#c792ea",
  "#164": "#7fdbca",
  "#219": "#f78c6c",
  "#a11": "#c3e88d",
  "#e40": "#ffcb6b",
  "#00f": "#82aaff",
  "#30a": "#a6accd",
  "#085": "#ffcb6b",
  "#167": "#89ddff",
  "#256": "#89ddff",
  "#00c": "#82aaff",
  "#940": "#8a8fa8",
  "#f00": "#ff5370",
  "#404740": "#b0b6b0",
}

const darkHighlight = HighlightStyle.define(
  defaultHighlightStyle.specs.map((spec) =>
    typeof spec.color === "string" && darkColours[spec.color]
      ? { ...spec, color: darkColours[spec.color] }
      : spec,
  ),
  { themeType: "dark" },
)

/**
 * The editor's look from the app's colour tokens (styles.css), so both themes follow the `dark` class on
 * <html>; in the dark theme the syntax colours are the lightened set above.
 */
export function editorTheme(dark: boolean): Extension {
  const theme = EditorView.theme(
    {
      "&": { color: "var(--color-fg)", backgroundColor: "var(--color-surface)", height: "100%" },
      "&.cm-focused": { outline: "none" },
      ".cm-scroller": { fontFamily: "var(--font-mono)", fontSize: "12.5px", lineHeight: "20px" },
      ".cm-content": { caretColor: "var(--color-fg)" },
      ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--color-fg)" },
      ".cm-gutters": {
        backgroundColor: "var(--color-surface)",
        color: "var(--color-subtle)",
        borderRight: "1px solid var(--color-line)",
      },
      ".cm-activeLine": { backgroundColor: dark ? "#ffffff08" : "#0000000a" },
      ".cm-activeLineGutter": { backgroundColor: "var(--color-sunken)", color: "var(--color-muted)" },
      "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection":
        { backgroundColor: dark ? "#3b3a7a" : "#d7d4ff" },
      ".cm-selectionMatch": { backgroundColor: dark ? "#2f3d2f" : "#e2f3e2" },
      ".cm-searchMatch": { backgroundColor: dark ? "#5a4a1a" : "#ffe9a8", outline: "1px solid #c9a227" },
      ".cm-searchMatch.cm-searchMatch-selected": { backgroundColor: dark ? "#8a6d1f" : "#ffd25e" },
      "&.cm-focused .cm-matchingBracket": { backgroundColor: dark ? "#35506b" : "#cfe8ff" },
      ".cm-panels": { backgroundColor: "var(--color-sunken)", color: "var(--color-fg)" },
      ".cm-panels.cm-panels-top": { borderBottom: "1px solid var(--color-line)" },
      ".cm-panels.cm-panels-bottom": { borderTop: "1px solid var(--color-line)" },
      ".cm-panel.cm-search": { padding: "6px 8px", fontFamily: "var(--font-sans)" },
      ".cm-panel input, .cm-panel button": { fontSize: "12.5px" },
      ".cm-textfield": {
        backgroundColor: "var(--color-surface)",
        border: "1px solid var(--color-line-strong)",
        borderRadius: "6px",
        color: "var(--color-fg)",
      },
      ".cm-button": {
        backgroundImage: "none",
        backgroundColor: "var(--color-surface)",
        border: "1px solid var(--color-line-strong)",
        borderRadius: "6px",
        color: "var(--color-fg)",
      },
      ".cm-foldPlaceholder": {
        backgroundColor: "var(--color-sunken)",
        border: "1px solid var(--color-line)",
        color: "var(--color-muted)",
      },
      ".cm-tooltip": {
        backgroundColor: "var(--color-surface)",
        border: "1px solid var(--color-line)",
        color: "var(--color-fg)",
      },
      ".cm-tooltip-autocomplete > ul > li[aria-selected]": {
        backgroundColor: "var(--color-accent-soft)",
        color: "var(--color-fg)",
      },
      // Diffs (@codemirror/merge): removed lines reddish, added ones greenish; changed words keep merge's underline.
      "&.cm-merge-a .cm-changedLine, .cm-deletedChunk": { backgroundColor: dark ? "#3a1d1d" : "#fdeeee" },
      "&.cm-merge-b .cm-changedLine, .cm-inlineChangedLine": {
        backgroundColor: dark ? "#17301f" : "#eaf7ed",
      },
    },
    { dark },
  )
  return dark ? [theme, syntaxHighlighting(darkHighlight)] : theme
}
