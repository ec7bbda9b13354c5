import { useT } from "../../app-context.tsx"

export type PanelTab = "files" | "chat" | "terminal" | "activity"

const tabs = [
  { id: "files", label: "panels.tabFiles" },
  { id: "chat", label: "panels.tabChat" },
  { id: "terminal", label: "panels.tabTerminal" },
  { id: "activity", label: "panels.tabActivity" },
] as const

/** On narrow screens the workspace's panels are tabs. */
export function PanelTabs({ current, onSelect }: { current: PanelTab; onSelect: (tab: PanelTab) => void }) {
  const t = useT()
  return (
    <div className="flex rounded-lg bg-sunken p-0.5" role="tablist" aria-label={t("panels.tabs")}>
      {tabs.map(({ id, label }) => (
        <button
          key={id}
          type="button"
          role="tab"
          aria-selected={current === id}
          aria-controls="workspace-panels"
          onClick={() => onSelect(id)}
          data-testid={`panel-tab-${id}`}
          className={`h-8 flex-1 rounded-md text-[13px] font-medium ${
            current === id ? "bg-surface text-fg shadow-xs" : "text-muted hover:text-fg"
          }`}
        >
          {t(label)}
        </button>
      ))}
    </div>
  )
}
