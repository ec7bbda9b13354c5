// The orchestra's shapes that cross a process boundary (docs/orchestra.md).
export * from "./orchestra-reasons.ts"
export * from "./orchestra-run-summary.ts"
