export { templates, templatesDirectory } from "./templates.ts"
export type * from "./types.ts"
export { createWorkspaceManager } from "./workspace-manager.ts"
