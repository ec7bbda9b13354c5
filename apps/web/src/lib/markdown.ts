/**
 * A small Markdown reader for streamed assistant text: fenced code blocks, headings, lists, quotes and
 * paragraphs, with inline code, bold, italics and links. It never produces HTML (the view renders the
 * blocks as React elements), so model output cannot inject markup. A fence still open at the end (the
 * text is streaming) is a code block that is not finished yet.
 */

export type MarkdownBlock =
  | { type: "paragraph"; text: string }
  | { type: "heading"; level: number; text: string }
  /** `info`: the rest of the fence line after the language (it may name a file: ```ts src/a.ts). */
  | { type: "code"; language: string; info: string; code: string; open: boolean }
  | { type: "list"; ordered: boolean; items: string[] }
  | { type: "quote"; text: string }

export type InlineSpan =
  | { type: "text"; text: string }
  | { type: "code"; text: string }
  | { type: "strong"; text: string }
  | { type: "emphasis"; text: string }
  | { type: "link"; text: string; href: string }

const fence = /^ {0,3}(```+|~~~+)\s*([\w+#.-]*)[ \t]*(.*)$/
const heading = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/
const bullet = /^\s{0,3}[-*+]\s+(.*)$/
const numbered = /^\s{0,3}\d{1,9}[.)]\s+(.*)$/
const quote = /^\s{0,3}>\s?(.*)$/

export function parseMarkdown(source: string): MarkdownBlock[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n")
  const blocks: MarkdownBlock[] = []
  let paragraph: string[] = []
  const flush = () => {
    if (paragraph.length > 0) blocks.push({ type: "paragraph", text: paragraph.join("\n") })
    paragraph = []
  }
  let index = 0
  while (index < lines.length) {
    const line = lines[index]!
    const opening = fence.exec(line)
    if (opening) {
      flush()
      const marker = opening[1]!
      const code: string[] = []
      index++
      let closed = false
      while (index < lines.length) {
        const inner = lines[index]!
        if (
          inner.trim().startsWith(marker[0]!.repeat(marker.length)) &&
          inner.trim().replace(/[`~]/g, "") === ""
        ) {
          closed = true
          index++
          break
        }
        code.push(inner)
        index++
      }
      blocks.push({
        type: "code",
        language: opening[2] ?? "",
        info: (opening[3] ?? "").trim(),
        code: code.join("\n"),
        open: !closed,
      })
      continue
    }
    const title = heading.exec(line)
    if (title) {
      flush()
      blocks.push({ type: "heading", level: title[1]!.length, text: title[2]! })
      index++
      continue
    }
    const item = bullet.exec(line) ?? numbered.exec(line)
    if (item) {
      flush()
      const ordered = !bullet.test(line)
      const items: string[] = []
      while (index < lines.length) {
        const current = (ordered ? numbered : bullet).exec(lines[index]!)
        if (current) items.push(current[1]!)
        else if (/^\s{2,}\S/.test(lines[index]!) && items.length > 0)
          items[items.length - 1] += `\n${lines[index]!.trim()}`
        else break
        index++
      }
      blocks.push({ type: "list", ordered, items })
      continue
    }
    const quoted = quote.exec(line)
    if (quoted) {
      flush()
      const text: string[] = []
      while (index < lines.length) {
        const current = quote.exec(lines[index]!)
        if (!current) break
        text.push(current[1]!)
        index++
      }
      blocks.push({ type: "quote", text: text.join("\n") })
      continue
    }
    if (line.trim() === "") flush()
    else paragraph.push(line)
    index++
  }
  flush()
  return blocks
}

const inlinePattern =
  /`([^`]+)`|\*\*([^*]+)\*\*|__([^_]+)__|\*([^*\s][^*]*)\*|_([^_\s][^_]*)_|\[([^\]]+)\]\(([^)\s]+)\)/g

/** Links keep only web and mail addresses (no javascript: or data: URLs). */
export function safeHref(href: string): string | null {
  return /^(https?:|mailto:|#|\/)/i.test(href) ? href : null
}

export function parseInline(text: string): InlineSpan[] {
  const spans: InlineSpan[] = []
  let last = 0
  for (const match of text.matchAll(inlinePattern)) {
    const at = match.index ?? 0
    if (at > last) spans.push({ type: "text", text: text.slice(last, at) })
    const [whole, code, strong, strongAlt, emphasis, emphasisAlt, label, href] = match
    if (code !== undefined) spans.push({ type: "code", text: code })
    else if (strong !== undefined || strongAlt !== undefined)
      spans.push({ type: "strong", text: (strong ?? strongAlt)! })
    else if (emphasis !== undefined || emphasisAlt !== undefined)
      spans.push({ type: "emphasis", text: (emphasis ?? emphasisAlt)! })
    else if (label !== undefined && href !== undefined) {
      const safe = safeHref(href)
      spans.push(safe ? { type: "link", text: label, href: safe } : { type: "text", text: whole })
    }
    last = at + whole.length
  }
  if (last < text.length) spans.push({ type: "text", text: text.slice(last) })
  return spans
}
