// A run's state and its reducer live in packages/protocol (orchestra-state.ts, orchestra-state-types.ts):
// the engine, the server's run list and the browser fold a run's log with the same code.

export type {
  ContextSectionState,
  GateStatus,
  RunGate,
  RunMessage,
  RunPackage,
  RunState,
  RunStatus,
  RunStep,
} from "@xionimus/protocol"
export {
  applyRunEvent,
  emptyRunState,
  inbox,
  openGates,
  packageById,
  reduceRun,
  runningSteps,
} from "@xionimus/protocol"
