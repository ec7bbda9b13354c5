export { type Budget, type BudgetVerdict, checkBudget } from "./budget.ts"
export { catalogCompiled, unknownModelDefaults } from "./catalog-data.ts"
export { CatalogEntry, CatalogOverride } from "./catalog-entry.ts"
export { type Clock, systemClock } from "./clock.ts"
export { type CompatiblePreset, compatiblePresets } from "./compatible-presets.ts"
export { type ConnectionResult, type ConnectionTestOptions, testConnection } from "./connection-test.ts"
export { type ContextBudget, fitToWindow, measureContext } from "./context-window.ts"
export { costOf } from "./cost.ts"
export {
  type CatalogLookup,
  createModelCatalog,
  type ModelCatalog,
  type ModelCatalogOptions,
} from "./model-catalog.ts"
export {
  createModelError,
  isModelError,
  ModelError,
  type ModelErrorDetails,
  type ModelErrorReason,
  modelErrorMessage,
  modelErrorReasons,
  retryableReasons,
} from "./model-error.ts"
export {
  createModelRouter,
  type ModelRouter,
  type ModelRouterOptions,
  type RoutedPart,
  type RoutedRequest,
  type RouterConfig,
} from "./model-router.ts"
export type {
  AssistantContentPart,
  FinishReason,
  ModelMessage,
  ModelName,
  ModelPart,
  ModelPort,
  ModelRequest,
  ModelUsage,
  ToolResult,
  ToolSpec,
  UserContentPart,
} from "./model-types.ts"
export { zeroUsage } from "./model-types.ts"
export { type ErrorContext, normaliseError } from "./normalise-error.ts"
export { ProviderConfig, ProvidersConfig, providerTypes } from "./provider-config.ts"
export {
  createProviderRegistry,
  type ProviderRegistry,
  type ProviderRegistryOptions,
  type ResolvedModel,
  splitModelName,
} from "./provider-registry.ts"
export { keyHint, redactSecrets } from "./redact-secrets.ts"
export { repairToolInput } from "./repair-json.ts"
export { retryAfterMsOf } from "./retry-after.ts"
export { createSdkModelPort, type SdkModelPortOptions } from "./sdk-model-port.ts"
export { createSecretBox, type SecretBox } from "./secret-box.ts"
export { toolCallCorrection, withTextTools } from "./text-tool-port.ts"
export {
  extractTextToolCalls,
  type ParsedTextCall,
  parseTextToolCall,
  textToolInstructions,
  toTextToolMessages,
} from "./text-tool-protocol.ts"
export {
  charactersPerEstimatedToken,
  createTokenCounter,
  estimateTokens,
  type TokenCounter,
  tokensPerImage,
  tokensPerMessage,
} from "./token-counter.ts"
export { createUsageBuffer, type UsageBuffer, type UsageBufferOptions } from "./usage-buffer.ts"
export type { CallScope, UsageFilter, UsageLedger, UsageRecord, UsageTotals } from "./usage-record.ts"
