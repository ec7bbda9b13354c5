export { type EventBusFixture, eventBusContract } from "./contracts/event-bus-contract.ts"
export { type EventLogFixture, eventLogContract } from "./contracts/event-log-contract.ts"
export { collectGarbage, expectCollected } from "./contracts/expect-collected.ts"
export { type PubSubFixture, pubSubContract } from "./contracts/pub-sub-contract.ts"
export {
  type OpenSandboxProvider,
  runShell,
  type SandboxFixtureOptions,
  sandboxContract,
} from "./contracts/sandbox-contract.ts"
export { type ManualClock, sessionStoreContract } from "./contracts/session-store-contract.ts"
export { storeContract } from "./contracts/store-contract.ts"
export { waitFor } from "./contracts/wait-for.ts"
export * from "./mock-provider/index.ts"
export { createTestSchema, type TestSchema, testDatabaseUrl } from "./pg.ts"
export { randomRedisPrefix, redisSubscriberCount, testRedisUrl } from "./redis.ts"
export { createScriptedModel, type ScriptedModel, type ScriptedTurn } from "./scripted-model.ts"
export { type SignedInOwner, signInOwner, testOwner } from "./sign-in-owner.ts"
