export { openStore } from "./open-store.ts"
export type { EventRepository, ProjectRepository, Store, StoreOptions } from "./types.ts"
