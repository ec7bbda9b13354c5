export {
  type AttachedImage,
  checkAttachments,
  imageMediaType,
  loadAttachedImages,
  maxImageBytes,
  maxImagesPerCall,
} from "./attached-images.ts"
export { canonicalJson } from "./canonical-json.ts"
export {
  type Compaction,
  type CompactionInput,
  keptTurns,
  planCompaction,
  promptTokens,
  summaryInstructions,
} from "./compaction.ts"
export {
  attachmentsHeading,
  type HistoryOptions,
  interruptedResult,
  modelMessagesOf,
  prunedOutput,
  summaryPrefix,
  toModelMessages,
  userText,
} from "./history.ts"
export { holderIsGone, nodeIdFor } from "./node-id.ts"
export { renderContext } from "./orchestra/context-doc.ts"
export { type GateInput, PlanEdit, ToolEdit } from "./orchestra/gates.ts"
export type { MergeResult, RunRuntimes, WorktreeRef, Worktrees } from "./orchestra/ports.ts"
export {
  defaultPreset,
  defaultPresetInput,
  type Preset,
  type PresetInput,
  parsePreset,
  type Role,
} from "./orchestra/roles.ts"
export {
  createRunEngine,
  type RunEngine,
  type RunEngineDeps,
  type RunStatus,
  type StartRunInput,
} from "./orchestra/run-engine.ts"
export { RunBudget, runEventSchemas } from "./orchestra/run-events.ts"
export { type RunExport, runLogHash, runReport, runStateHash } from "./orchestra/run-export.ts"
export { inbox, type RunGate, type RunPackage, type RunState, reduceRun } from "./orchestra/run-state.ts"
export { parseTemplate, shippedTemplates, type Template, templateSet } from "./orchestra/templates.ts"
export { readOnlyTools, resumeNudge, runTurn } from "./run-turn.ts"
export {
  createSessionEngine,
  defaultLeaseMs,
  defaultLimits,
  interruptedMessage,
} from "./session-engine.ts"
export { createSessionOperations } from "./session-operations.ts"
export { sessionRulesFromLog } from "./session-rules.ts"
export { automaticTitle, defaultTitle, titleCharacters } from "./session-title.ts"
export { runSubAgent, type SubAgentInput, subAgentNote, withoutTask } from "./sub-agent.ts"
export { basePrompt, buildSystemPrompt, instructionCharacters, instructionFiles } from "./system-prompt.ts"
export { coalesceMs, createTurnWriter, type TurnWriter } from "./turn-writer.ts"
export type * from "./types.ts"
