import { useT } from "../../app-context.tsx"

/**
 * Text with line numbers. The numbers and the text are two <pre> blocks side by side, so even
 * tens of thousands of lines are two text nodes rather than a DOM row per line.
 */
export function TextView({ text }: { text: string }) {
  const t = useT()
  if (text.length === 0) {
    return <p className="p-6 text-muted">{t("file.empty")}</p>
  }
  const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n")
  const numbers = lines.map((_, index) => index + 1).join("\n")
  return (
    <div className="flex min-h-full min-w-max font-mono text-[12.5px] leading-5" data-testid="file-text">
      <pre
        aria-hidden="true"
        className="sticky left-0 select-none border-r border-line bg-surface py-3 pr-3 pl-4 text-right text-subtle"
      >
        {numbers}
      </pre>
      <pre className="flex-1 py-3 pr-6 pl-4 text-fg" data-testid="file-content">
        <code>{lines.join("\n")}</code>
      </pre>
    </div>
  )
}
