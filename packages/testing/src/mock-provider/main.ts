// `npm run mock-llm`: the mock provider on a fixed port, so the product can be clicked through with no key.
import { parseArgs } from "node:util"
import { startMockProvider } from "./mock-provider-server.ts"
import { mockScenarioNames } from "./mock-scenarios.ts"

const { values } = parseArgs({
  options: { port: { type: "string", default: "4110" }, host: { type: "string", default: "127.0.0.1" } },
})
const server = await startMockProvider({ port: Number(values.port), host: values.host })
console.log(`mock model provider on ${server.url}`)
for (const [name, url] of Object.entries(server.baseURLs)) console.log(`  ${name.padEnd(13)} ${url}`)
console.log(`model ids pick a scenario: ${mockScenarioNames.join(", ")} (any other id streams "text")`)
console.log("point Xionimus at it, for instance:")
console.log(
  `  OPENAI_BASE_URL=${server.baseURLs.openai} OPENAI_API_KEY=mock npm start   (model openai/tool-call)`,
)
console.log(`  ANTHROPIC_BASE_URL=${server.url}/anthropic ANTHROPIC_API_KEY=mock npm start`)
console.log(`  OLLAMA_HOST=${server.baseURLs.ollamaNative} npm start   (model ollama/reasoning)`)
const stop = () => {
  server.close().then(() => process.exit(0))
}
process.once("SIGINT", stop)
process.once("SIGTERM", stop)
