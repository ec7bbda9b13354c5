import { useEffect, useState } from "react"
import type { ProjectList } from "../../stores/project-list-store.ts"

/**
 * The search box's text for a project list. The list reloads when the screen opens (showing what it
 * had meanwhile) and a moment after typing stops.
 */
export function useDebouncedSearch(list: ProjectList, delayMs = 250): [string, (value: string) => void] {
  const [text, setText] = useState(() => list.state.get().query)
  useEffect(() => {
    void list.load()
  }, [list])
  useEffect(() => {
    const query = text.trim()
    if (query === list.state.get().query) return
    const timer = setTimeout(() => void list.load(query), delayMs)
    return () => clearTimeout(timer)
  }, [text, list, delayMs])
  return [text, setText]
}
