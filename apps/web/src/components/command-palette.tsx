import { useEffect, useId, useMemo, useRef, useState } from "react"
import { useServices, useT } from "../app-context.tsx"
import type { MessageKey } from "../i18n/en.ts"
import { locales } from "../i18n/translate.ts"
import { type Action, fuzzyFilter } from "../lib/actions.ts"
import { listProjectFiles } from "../lib/project-files.ts"
import type { Route } from "../lib/router.ts"
import { formatShortcut } from "../lib/shortcuts.ts"
import { useStore } from "../lib/store.ts"
import { toApiError } from "../lib/to-api-error.ts"
import { SearchIcon } from "./icons.tsx"
import { Spinner } from "./spinner.tsx"

type Mode = "actions" | "files"

/** At most this many rows are rendered; typing narrows the rest. */
const shownRows = 50

function projectOf(route: Route): string | null {
  return route.name === "project" || route.name === "sessions" ? route.projectId : null
}

/**
 * The command palette (Ctrl/Cmd+K): every available action of the registry, fuzzy filtered, with its
 * shortcut; and quick open (Ctrl/Cmd+P) over the open project's files. It registers the app-wide
 * actions (navigation, theme, language, new session); screens register theirs while they are mounted.
 */
export function CommandPalette() {
  const { commands, router, settings, sessions, client, defaultModel, toasts, mac } = useServices()
  const t = useT()
  const [mode, setMode] = useState<Mode | null>(null)
  const route = useStore(router.route)
  const routeRef = useRef(route)
  routeRef.current = route

  useEffect(() => {
    const inProject = () => projectOf(router.route.get()) !== null
    const navigate = (next: Route) => () => router.navigate(next)
    const newSession = async () => {
      const projectId = projectOf(router.route.get())
      if (!projectId) return
      try {
        const model = defaultModel.value.get()
        const created = await sessions.create(projectId, model ? { model } : {})
        router.navigate({ name: "sessions", projectId, sessionId: created.id })
      } catch (failure) {
        const error = toApiError(failure)
        toasts.show({ tone: "error", message: error.message, code: error.code })
      }
    }
    const registered: Action[] = [
      {
        id: "palette.open",
        title: "commands.action.palette",
        shortcut: "mod+k",
        run: () => setMode((open) => (open ? null : "actions")),
      },
      {
        id: "file.open",
        title: "commands.action.openFile",
        shortcut: "mod+p",
        when: inProject,
        run: () => setMode("files"),
      },
      {
        id: "session.new",
        title: "commands.action.newSession",
        shortcut: "alt+shift+n",
        when: inProject,
        run: () => void newSession(),
      },
      { id: "nav.projects", title: "commands.action.projects", run: navigate({ name: "projects" }) },
      { id: "nav.trash", title: "commands.action.trash", run: navigate({ name: "trash" }) },
      {
        id: "nav.settings",
        title: "commands.action.settings",
        run: navigate({ name: "settings", section: "" }),
      },
      { id: "theme.toggle", title: "commands.action.theme", run: () => settings.toggleTheme() },
      {
        id: "language.switch",
        title: "commands.action.language",
        run: () => {
          const current = settings.state.get().locale
          settings.setLocale(locales.find((locale) => locale !== current) ?? "en")
        },
      },
    ]
    const disposers = registered.map((action) => commands.register(action))
    return () => {
      for (const dispose of disposers) dispose()
    }
  }, [commands, router, settings, sessions, defaultModel, toasts])

  const projectId = projectOf(route)
  return mode ? (
    <PaletteDialog
      key={mode}
      mode={mode}
      projectId={projectId}
      onClose={() => setMode(null)}
      loadFiles={(signal) =>
        projectId
          ? listProjectFiles(client, projectId, { signal })
          : Promise.resolve({ paths: [], truncated: false })
      }
      onOpenFile={(path) => projectId && router.navigate({ name: "project", projectId, path })}
      t={t}
      mac={mac}
    />
  ) : null
}

interface Row {
  id: string
  label: string
  shortcut?: string
  run: () => void
}

function PaletteDialog({
  mode,
  projectId,
  onClose,
  loadFiles,
  onOpenFile,
  t,
  mac,
}: {
  mode: Mode
  projectId: string | null
  onClose: () => void
  loadFiles: (signal: AbortSignal) => Promise<{ paths: string[]; truncated: boolean }>
  onOpenFile: (path: string) => void
  t: (key: MessageKey, params?: Record<string, string | number>) => string
  mac: boolean
}) {
  const { commands } = useServices()
  const dialogRef = useRef<HTMLDialogElement>(null)
  const inputRef = useRef<HTMLInputElement>(null)
  const returnFocus = useRef<Element | null>(null)
  const [query, setQuery] = useState("")
  const [active, setActive] = useState(0)
  const [files, setFiles] = useState<{ paths: string[]; truncated: boolean } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const listId = useId()
  // The actions as they are when the palette opens: their when-guards are read once, here.
  const [actions] = useState(() => commands.available())

  useEffect(() => {
    returnFocus.current = document.activeElement
    dialogRef.current?.showModal()
    inputRef.current?.focus()
    return () => {
      const previous = returnFocus.current as HTMLElement | null
      if (previous?.isConnected) previous.focus()
    }
  }, [])

  // biome-ignore lint/correctness/useExhaustiveDependencies: loaded once per opening of quick open
  useEffect(() => {
    if (mode !== "files" || !projectId) return
    const controller = new AbortController()
    loadFiles(controller.signal).then(setFiles, (failure: unknown) => {
      if (!controller.signal.aborted) setError(toApiError(failure).message)
    })
    return () => controller.abort()
  }, [mode, projectId])

  const rows: Row[] = useMemo(() => {
    if (mode === "files")
      return fuzzyFilter(query, files?.paths ?? [], (path) => path)
        .slice(0, shownRows)
        .map((path) => ({ id: `file:${path}`, label: path, run: () => onOpenFile(path) }))
    return fuzzyFilter(query, actions, (action) => t(action.title as MessageKey))
      .filter((action) => action.id !== "palette.open")
      .slice(0, shownRows)
      .map((action) => ({
        id: action.id,
        label: t(action.title as MessageKey),
        ...(action.shortcut ? { shortcut: formatShortcut(action.shortcut, mac) } : {}),
        run: action.run,
      }))
  }, [mode, query, files, actions, t, mac, onOpenFile])
  const current = Math.min(active, rows.length - 1)
  const optionId = (index: number) => `${listId}-${index}`

  const choose = (row: Row | undefined) => {
    if (!row) return
    onClose()
    // After the palette has closed and focus went back, so that a dialog the action opens keeps focus.
    queueMicrotask(row.run)
  }

  useEffect(() => {
    document.getElementById(optionId(current))?.scrollIntoView({ block: "nearest" })
  })

  const empty =
    mode === "files" && !files && !error ? (
      <p className="flex items-center gap-2 px-4 py-3 text-sm text-muted" data-testid="palette-loading">
        <Spinner className="size-3.5" />
        {t("commands.palette.filesLoading")}
      </p>
    ) : rows.length === 0 ? (
      <p className="px-4 py-3 text-sm text-muted" data-testid="palette-empty">
        {error ?? t(mode === "files" ? "commands.palette.filesEmpty" : "commands.palette.empty")}
      </p>
    ) : null

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: a click on the backdrop closes; Escape is the dialog's own
    <dialog
      ref={dialogRef}
      aria-label={t("commands.palette.title")}
      data-testid="command-palette"
      data-mode={mode}
      onClose={onClose}
      onClick={(event) => {
        if (event.target === dialogRef.current) onClose()
      }}
      className="m-auto mt-[12vh] w-[calc(100%-2rem)] max-w-xl overflow-hidden rounded-2xl border border-line bg-surface p-0 text-fg shadow-2xl backdrop:bg-black/40"
    >
      <div className="border-b border-line px-3 py-2">
        <input
          ref={inputRef}
          value={query}
          onChange={(event) => {
            setQuery(event.target.value)
            setActive(0)
          }}
          onKeyDown={(event) => {
            if (event.key === "ArrowDown" || event.key === "ArrowUp") {
              event.preventDefault()
              const step = event.key === "ArrowDown" ? 1 : -1
              setActive((rows.length + current + step) % Math.max(rows.length, 1))
            } else if (event.key === "Enter") {
              event.preventDefault()
              choose(rows[current])
            }
          }}
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={rows.length > 0 ? optionId(current) : undefined}
          aria-label={t(mode === "files" ? "commands.palette.searchFiles" : "commands.palette.search")}
          placeholder={t(mode === "files" ? "commands.palette.searchFiles" : "commands.palette.search")}
          data-testid="palette-input"
          className="h-10 w-full bg-transparent px-1 text-[15px] outline-none placeholder:text-subtle"
        />
      </div>
      <div
        id={listId}
        role="listbox"
        aria-label={t(mode === "files" ? "commands.palette.fileResults" : "commands.palette.results")}
        className="max-h-[50vh] overflow-y-auto py-1"
      >
        {rows.map((row, index) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox input handles the keys (aria-activedescendant)
          <div
            key={row.id}
            tabIndex={-1}
            id={optionId(index)}
            role="option"
            aria-selected={index === current}
            data-testid="palette-option"
            data-action-id={row.id}
            onClick={() => choose(row)}
            onMouseMove={() => index !== current && setActive(index)}
            className={`mx-1 flex cursor-pointer items-center justify-between gap-3 rounded-lg px-3 py-2 text-sm ${
              index === current ? "bg-accent-soft text-fg" : "text-muted"
            }`}
          >
            <span className={`min-w-0 truncate ${mode === "files" ? "font-mono text-[13px]" : ""}`}>
              {row.label}
            </span>
            {row.shortcut ? (
              <kbd className="shrink-0 rounded border border-line bg-sunken px-1.5 py-0.5 font-mono text-[11px] text-subtle">
                {row.shortcut}
              </kbd>
            ) : null}
          </div>
        ))}
      </div>
      {empty}
      <p className="border-t border-line px-4 py-2 text-xs text-subtle">
        {files?.truncated ? `${t("commands.palette.filesTruncated", { count: files.paths.length })} · ` : ""}
        {t("commands.palette.hint")}
      </p>
    </dialog>
  )
}

/**
 * The header's way to the palette for mouse users. Hidden on phones, where the header has no room
 * and every action has its own button anyway.
 */
export function CommandPaletteButton() {
  const { commands, mac } = useServices()
  const t = useT()
  return (
    <button
      type="button"
      onClick={() => commands.run("palette.open")}
      className="hidden h-8 items-center gap-2 rounded-lg border border-line px-2.5 text-xs text-muted hover:text-fg sm:inline-flex"
      title={t("commands.action.palette")}
      data-testid="palette-button"
    >
      <SearchIcon className="size-3.5" />
      {/* The name screen readers hear starts with the visible text (WCAG "label in name"). */}
      <span className="sr-only lg:not-sr-only">{t("commands.palette.button")}</span>
      <kbd className="font-mono text-[11px] text-subtle">{formatShortcut("mod+k", mac)}</kbd>
    </button>
  )
}
