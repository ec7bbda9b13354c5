import { useEffect, useRef } from "react"
import { useServices } from "../../app-context.tsx"
import { type Editor, isDirty } from "../../stores/editor-store.ts"

/**
 * "Save file" in the command palette while the open file has unsaved changes (Ctrl/Cmd+S stays the
 * editor's own shortcut, so the action has none). Saves like the Save button: a conflict is refused.
 */
export function useSaveCommand(editor: Editor, path: string): void {
  const { commands } = useServices()
  const latest = useRef({ editor, path })
  latest.current = { editor, path }
  useEffect(
    () =>
      commands.register({
        id: "editor.save",
        title: "commands.action.saveFile",
        when: () => {
          const { editor, path } = latest.current
          const buffer = editor.state.get().buffers[path]
          return isDirty(buffer) && buffer?.conflict === null && !buffer.saving
        },
        run: () => {
          const { editor, path } = latest.current
          void editor.save(path)
        },
      }),
    [commands],
  )
}
