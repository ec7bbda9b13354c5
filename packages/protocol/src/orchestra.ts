// The orchestra's shapes that cross a process boundary (docs/orchestra.md).
export * from "./orchestra-events.ts"
export * from "./orchestra-reasons.ts"
export * from "./orchestra-roles.ts"
export * from "./orchestra-run-summary.ts"
export * from "./orchestra-state.ts"
export * from "./orchestra-state-types.ts"
