import { Fragment, useMemo } from "react"
import { type InlineSpan, parseInline, parseMarkdown } from "../../lib/markdown.ts"
import { CodeBlockView } from "./code-block-view.tsx"

function Inline({ text }: { text: string }) {
  const spans = useMemo(() => parseInline(text), [text])
  return spans.map((span: InlineSpan, index) => {
    const key = `${index}-${span.type}`
    switch (span.type) {
      case "code":
        return (
          <code key={key} className="rounded bg-sunken px-1 py-0.5 font-mono text-[0.9em]">
            {span.text}
          </code>
        )
      case "strong":
        return <strong key={key}>{span.text}</strong>
      case "emphasis":
        return <em key={key}>{span.text}</em>
      case "link":
        return (
          <a
            key={key}
            href={span.href}
            target="_blank"
            rel="noreferrer noopener"
            className="text-accent-text underline"
          >
            {span.text}
          </a>
        )
      default:
        return <Fragment key={key}>{span.text}</Fragment>
    }
  })
}

/** Assistant text as Markdown: paragraphs, headings, lists, quotes, and code blocks (copy, apply, run). */
export function MarkdownView({ text }: { text: string }) {
  const blocks = useMemo(() => parseMarkdown(text), [text])
  return (
    <div className="flex flex-col gap-2.5 leading-relaxed break-words" data-testid="markdown">
      {blocks.map((block, index) => {
        const key = `${index}-${block.type}`
        switch (block.type) {
          case "code":
            return (
              <CodeBlockView
                key={key}
                language={block.language}
                info={block.info}
                code={block.code}
                open={block.open}
              />
            )
          case "heading": {
            // Below the page's and the chat's own headings.
            const Heading = block.level <= 2 ? "h4" : block.level === 3 ? "h5" : "h6"
            return (
              <Heading key={key} className={`font-semibold ${block.level <= 2 ? "text-base" : ""}`}>
                <Inline text={block.text} />
              </Heading>
            )
          }
          case "list": {
            const List = block.ordered ? "ol" : "ul"
            return (
              <List
                key={key}
                className={`flex flex-col gap-1 pl-5 ${block.ordered ? "list-decimal" : "list-disc"}`}
              >
                {block.items.map((item, itemIndex) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: items have no identity beyond their place
                  <li key={itemIndex} className="whitespace-pre-wrap">
                    <Inline text={item} />
                  </li>
                ))}
              </List>
            )
          }
          case "quote":
            return (
              <blockquote
                key={key}
                className="border-l-2 border-line-strong pl-3 whitespace-pre-wrap text-muted"
              >
                <Inline text={block.text} />
              </blockquote>
            )
          default:
            return (
              <p key={key} className="whitespace-pre-wrap">
                <Inline text={block.text} />
              </p>
            )
        }
      })}
    </div>
  )
}
