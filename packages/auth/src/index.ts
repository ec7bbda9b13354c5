// Accounts: users, passwords (argon2id), browser sessions, API keys, lockout, audit log.
export { type AuthServiceOptions, createAuthService } from "./auth-service.ts"
export { createAccounts } from "./create-accounts.ts"
export { createLoginThrottle, type LoginThrottle, type LoginThrottleOptions } from "./login-throttle.ts"
export { argon2Parameters, createPasswordHasher, type PasswordHasher } from "./password-hasher.ts"
export { checkPasswordStrength, minimumPasswordLength } from "./password-policy.ts"
export { apiKeyPrefix, hashSecret, sameSecret } from "./secrets.ts"
export { createTeamService, levelCovers, type ProjectLevel, type TeamService } from "./team-service.ts"
export type { Actor, Authenticated, AuthService, IssuedSession, RequestMeta } from "./types.ts"
