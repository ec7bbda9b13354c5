import { useEffect, useState, useSyncExternalStore } from "react"
import { useServices } from "../../app-context.tsx"
import { createEditor, type Editor } from "../../stores/editor-store.ts"
import type { ProjectSession } from "../../stores/project-session.ts"

/** The editor (tabs, buffers, drafts) of a project's file pane, for as long as the pane is shown. */
export function useEditor(session: ProjectSession): Editor | null {
  const { client } = useServices()
  const [editor, setEditor] = useState<Editor | null>(null)
  useEffect(() => {
    const created = createEditor({
      client,
      projectId: session.projectId,
      viewer: session.file.state,
      storage: window.localStorage,
    })
    setEditor(created)
    return () => created.dispose()
  }, [client, session])
  return editor
}

const noSubscription = () => () => {}

/** Whether the editor holds a buffer for `path` (a text file opened, or unsaved changes kept). */
export function useHasBuffer(editor: Editor | null, path: string | null): boolean {
  const read = () => Boolean(editor && path !== null && editor.state.get().buffers[path])
  return useSyncExternalStore(editor ? editor.state.subscribe : noSubscription, read, read)
}
