export { type CompatiblePreset, compatiblePresets } from "./compatible-presets.ts"
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
