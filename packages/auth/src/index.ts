// Accounts: users, passwords (argon2id), browser sessions, API keys, lockout, audit log.
export { type AuthServiceOptions, createAuthService } from "./auth-service.ts"
export { createAccounts } from "./create-accounts.ts"
export {
  accountLocked,
  createLoginThrottle,
  type LoginThrottle,
  type LoginThrottleOptions,
  lockMsAfter,
} from "./login-throttle.ts"
export { addressIn, type NetworkPolicy, parseAllowList } from "./network-policy.ts"
export { createOidcLogin, type OidcIdentity, type OidcLogin, type OidcProviderConfig } from "./oidc-login.ts"
export { argon2Parameters, createPasswordHasher, type PasswordHasher } from "./password-hasher.ts"
export { checkPasswordStrength, minimumPasswordLength } from "./password-policy.ts"
export type { SecretSealer } from "./sealed-totp.ts"
export { apiKeyPrefix, hashSecret, sameSecret } from "./secrets.ts"
export { createTeamService, levelCovers, type ProjectLevel, type TeamService } from "./team-service.ts"
export { createTotpService, type TotpService } from "./totp-service.ts"
export type { Actor, Authenticated, AuthService, IssuedSession, RequestMeta } from "./types.ts"
