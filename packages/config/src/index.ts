export {
  type ConfigProblem,
  type ConfigWarning,
  configInvalidError,
  formatConfigProblem,
  formatConfigWarning,
} from "./config-problem.ts"
export { envName, envPrefix } from "./env-layer.ts"
export { type ConfigFlags, configFlags } from "./flags-layer.ts"
export { type LoadConfigOptions, type LoadedConfig, loadConfig } from "./load-config.ts"
export {
  displayPath,
  type Env,
  projectConfigFile,
  resolveDataDir,
  userConfigFile,
} from "./paths.ts"
export { ollamaURL, providerEnvNames } from "./provider-env-layer.ts"
export { redactConfig, redactSecret } from "./redact-config.ts"
export { Config, type ConfigInput, type QuotaLimits, secretPaths } from "./schema.ts"
export { type ConfigLeaf, configLeaves, describeExpected } from "./schema-shape.ts"
