export type { CliIo } from "./cli-io.ts"
export { processIo } from "./cli-io.ts"
export { runCli } from "./main.ts"
