export { anthropicFormat } from "./anthropic-format.ts"
export { geminiFormat } from "./gemini-format.ts"
export {
  type MockFormatName,
  type MockProviderOptions,
  type MockProviderServer,
  type MockRequest,
  startMockProvider,
} from "./mock-provider-server.ts"
export type {
  MockBlock,
  MockErrorKind,
  MockErrorReply,
  MockHangReply,
  MockReply,
  MockStreamReply,
  MockUsage,
} from "./mock-reply.ts"
export {
  isMockScenarioName,
  type MockScenarioName,
  mockScenarioNames,
  mockScenarios,
} from "./mock-scenarios.ts"
