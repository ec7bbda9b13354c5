// Loaded lazily (its own chunk with xterm.js and its CSS): only a project whose terminal is opened pays for it.
import "@xterm/xterm/css/xterm.css"
import { FitAddon } from "@xterm/addon-fit"
import { type ITheme, Terminal } from "@xterm/xterm"
import { useEffect, useRef } from "react"
import { useServices, useT } from "../../app-context.tsx"
import { useStore } from "../../lib/store.ts"
import {
  createTerminalConnection,
  type TerminalConnection,
  type TerminalSocket,
  terminalUrl,
} from "../../stores/terminal-store.ts"

const light: ITheme = {
  background: "#ffffff",
  foreground: "#1f2328",
  cursor: "#1f2328",
  selectionBackground: "#b6d4fe",
}
const dark: ITheme = {
  background: "#0d1117",
  foreground: "#e6edf3",
  cursor: "#e6edf3",
  selectionBackground: "#264f78",
}

/** xterm.js on the project's sandbox terminal; fits its box and tells the shell every new size. */
export default function XtermView({
  projectId,
  id,
  onConnection,
}: {
  projectId: string
  /** Which of the panel's terminals this is; handed back with the connection. */
  id: number
  /** Must be stable (the connection is made once per mount). */
  onConnection: (id: number, connection: TerminalConnection | null) => void
}) {
  const { settings } = useServices()
  const t = useT()
  const isDark = useStore(settings.state, (state) => state.dark)
  const host = useRef<HTMLElement>(null)
  const terminalRef = useRef<Terminal | null>(null)

  useEffect(() => {
    const element = host.current
    if (!element) return
    const terminal = new Terminal({
      cursorBlink: true,
      fontFamily: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace',
      fontSize: 13,
      scrollback: 5000,
      theme: settings.state.get().dark ? dark : light,
    })
    const fit = new FitAddon()
    terminal.loadAddon(fit)
    terminal.open(element)
    terminalRef.current = terminal
    // A hidden panel has no size: keep the last one instead of fitting to nothing.
    const measure = () => {
      if (element.clientWidth > 0 && element.clientHeight > 0) fit.fit()
      return { cols: terminal.cols, rows: terminal.rows }
    }
    const connection = createTerminalConnection({
      url: terminalUrl(window.location.origin, projectId),
      // The browser's WebSocket has every member TerminalSocket names (its event types are wider).
      openSocket: (url) => new WebSocket(url) as unknown as TerminalSocket,
      onOutput: (data) => terminal.write(data),
      onNewShell: () => terminal.reset(),
      size: measure,
    })
    const typed = terminal.onData((data) => connection.input(data))
    const resized = terminal.onResize(({ cols, rows }) => connection.resize(cols, rows))
    const observer = new ResizeObserver(() => measure())
    observer.observe(element)
    onConnection(id, connection)
    return () => {
      onConnection(id, null)
      observer.disconnect()
      typed.dispose()
      resized.dispose()
      connection.dispose()
      terminal.dispose()
      terminalRef.current = null
    }
  }, [projectId, id, settings, onConnection])

  useEffect(() => {
    if (terminalRef.current) terminalRef.current.options.theme = isDark ? dark : light
  }, [isDark])

  return (
    <section
      ref={host}
      className="min-h-0 min-w-0 flex-1 px-2 pt-1"
      style={{ background: isDark ? dark.background : light.background }}
      aria-label={t("terminal.label")}
      data-testid="terminal-screen"
    ></section>
  )
}
