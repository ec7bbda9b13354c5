import type { MockReply } from "./mock-reply.ts"

/**
 * The named scenarios of the conformance matrix. A request whose model id is one of these names gets
 * that scenario when nothing is queued, so `npm run mock-llm` can be clicked through by model choice.
 */
export const mockScenarios = {
  text: {
    type: "stream",
    blocks: [{ type: "text", chunks: ["Hello", ", ", "world", "!"] }],
    usage: { input: 21, output: 4, cached: 5 },
  },
  "tool-call": {
    type: "stream",
    blocks: [
      {
        type: "tool-call",
        id: "call_weather_1",
        name: "get_weather",
        argumentChunks: ['{"ci', 'ty":', ' "Pa', "ris", '", "un', 'it": "c"', "}"],
      },
    ],
    usage: { input: 40, output: 18 },
  },
  "parallel-tool-calls": {
    type: "stream",
    blocks: [
      { type: "tool-call", id: "call_a", name: "get_weather", argumentChunks: ['{"city":', '"Paris"}'] },
      { type: "tool-call", id: "call_b", name: "get_weather", argumentChunks: ['{"city":', '"Oslo"}'] },
    ],
    usage: { input: 40, output: 30 },
  },
  reasoning: {
    type: "stream",
    blocks: [
      { type: "reasoning", chunks: ["Let me ", "think about ", "this."] },
      { type: "text", chunks: ["The answer ", "is 42."] },
    ],
    usage: { input: 30, output: 50, reasoning: 38 },
  },
  "rate-limit": { type: "error", error: "rate_limit", retryAfterSeconds: 7 },
  quota: { type: "error", error: "quota" },
  auth: { type: "error", error: "auth" },
  "context-overflow": { type: "error", error: "context_overflow" },
  internal: { type: "error", error: "internal" },
  overloaded: { type: "error", error: "overloaded", retryAfterSeconds: 2 },
  disconnect: {
    type: "stream",
    blocks: [{ type: "text", chunks: ["This ", "answer ", "breaks ", "off ", "here ", "and never ends."] }],
    disconnectAfter: 3,
  },
  "stream-error": {
    type: "stream",
    blocks: [{ type: "text", chunks: ["Working ", "on ", "it ", "and ", "then"] }],
    errorAfter: { events: 3, error: "overloaded" },
  },
  slow: {
    type: "stream",
    blocks: [{ type: "text", chunks: ["slow ", "but ", "complete"] }],
    delayMs: 40,
  },
  hang: { type: "hang" },
} satisfies Record<string, MockReply>

export type MockScenarioName = keyof typeof mockScenarios

export const mockScenarioNames = Object.keys(mockScenarios) as MockScenarioName[]

export function isMockScenarioName(name: string): name is MockScenarioName {
  return Object.hasOwn(mockScenarios, name)
}
