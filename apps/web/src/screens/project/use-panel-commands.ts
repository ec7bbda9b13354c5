import { useEffect, useRef } from "react"
import { useServices } from "../../app-context.tsx"
import type { PanelTab } from "../../components/panels/panel-tabs.tsx"
import type { Action } from "../../lib/actions.ts"
import type { PanelLayout, ToggledPanel } from "../../lib/panel-sizes.ts"

/**
 * The workspace's panels in the command palette and shortcuts (Ctrl/Cmd+` for the terminal): on wide
 * screens they show or hide the panel, on narrow ones they switch to its tab (and back).
 */
export function usePanelCommands(input: {
  layout: PanelLayout
  wide: boolean
  tab: PanelTab
  setTab: (tab: PanelTab) => void
  /** The tab to go back to when a narrow screen's panel is "hidden" again. */
  home: PanelTab
}): void {
  const latest = useRef(input)
  latest.current = input
  const { commands } = useServices()
  const { layout } = input
  useEffect(() => {
    const toggle = (panel: ToggledPanel, tab: PanelTab) => () => {
      const { wide, tab: current, setTab, home } = latest.current
      if (wide) layout.toggle(panel)
      else setTab(current === tab ? home : tab)
    }
    const actions: Action[] = [
      {
        id: "panel.terminal",
        title: "commands.action.terminal",
        shortcut: "mod+`",
        run: toggle("terminal", "terminal"),
      },
      { id: "panel.tree", title: "commands.action.tree", run: toggle("tree", "files") },
      { id: "panel.activity", title: "commands.action.activity", run: toggle("activity", "activity") },
    ]
    const disposers = actions.map((action) => commands.register(action))
    return () => {
      for (const dispose of disposers) dispose()
    }
  }, [commands, layout])
}
