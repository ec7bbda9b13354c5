import { useEffect, useState } from "react"
import { useServices } from "../../app-context.tsx"
import { createProjectSession, type ProjectSession } from "../../stores/project-session.ts"

/** The live session of one project for as long as its screen is shown. */
export function useProjectSession(projectId: string): ProjectSession | null {
  const { client, streams, toasts, t } = useServices()
  const [session, setSession] = useState<ProjectSession | null>(null)
  useEffect(() => {
    const created = createProjectSession({ client, streams, toasts, t, projectId })
    setSession(created)
    return () => created.dispose()
  }, [client, streams, toasts, t, projectId])
  return session?.projectId === projectId ? session : null
}
