import { useT } from "../../app-context.tsx"
import type { PanelLayout, ToggledPanel } from "../../lib/panel-sizes.ts"
import { useStore } from "../../lib/store.ts"
import { ActivityIcon, SidebarIcon, TerminalIcon } from "../icons.tsx"

const toggles = [
  { id: "tree", label: "panels.toggleTree", Icon: SidebarIcon },
  { id: "terminal", label: "panels.toggleTerminal", Icon: TerminalIcon },
  { id: "activity", label: "panels.toggleActivity", Icon: ActivityIcon },
] as const satisfies readonly { id: ToggledPanel; label: string; Icon: unknown }[]

/** Buttons that show or hide the file tree, the terminal and the activity feed (wide screens). */
export function PanelToggles({ layout }: { layout: PanelLayout }) {
  const t = useT()
  const open = useStore(layout.state, (state) => state.open)
  return (
    <div className="flex items-center gap-0.5 rounded-lg bg-sunken p-0.5">
      {toggles.map(({ id, label, Icon }) => (
        <button
          key={id}
          type="button"
          aria-pressed={open[id]}
          aria-label={t(label)}
          title={t(label)}
          onClick={() => layout.toggle(id)}
          data-testid={`toggle-${id}`}
          className={`inline-flex size-8 items-center justify-center rounded-md ${
            open[id] ? "bg-surface text-fg shadow-xs" : "text-muted hover:text-fg"
          }`}
        >
          <Icon className="size-4" />
        </button>
      ))}
    </div>
  )
}
