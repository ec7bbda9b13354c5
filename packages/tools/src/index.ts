export type { CheckpointDiff, Checkpoints, ProjectFiles } from "@xionimus/workspace"
export { type AppliedDecision, applyDecision } from "./apply-decision.ts"
export { applyEdits, type TextEdit } from "./apply-edits.ts"
export { builtinTools, createBuiltinRegistry } from "./builtin-tools.ts"
export { commandPattern } from "./command-prefix.ts"
export { defineTool } from "./define-tool.ts"
export { edit } from "./edit.ts"
export {
  evaluatePermission,
  modeDefault,
  type PermissionCall,
  type PermissionPolicy,
} from "./evaluate-permission.ts"
export { glob } from "./glob.ts"
export { grep } from "./grep.ts"
export { list } from "./list.ts"
export { loadDescription } from "./load-description.ts"
export {
  type CallIds,
  createPermissionGate,
  type PermissionGate,
  type PermissionGateOptions,
} from "./permission-gate.ts"
export { readFile } from "./read-file.ts"
export { run } from "./run.ts"
export { createSessionState } from "./session-state.ts"
export { task } from "./task.ts"
export { todo } from "./todo.ts"
export { createToolRegistry, type ToolRegistry } from "./tool-registry.ts"
export { finalState, pendingState, runningState, ToolState } from "./tool-state.ts"
export { defaultTruncation, type TruncationLimits, truncateOutput } from "./truncate-output.ts"
export type * from "./types.ts"
export { todoStatuses } from "./types.ts"
export { matchWildcard, type WildcardKind } from "./wildcard.ts"
export { writeFile } from "./write-file.ts"
