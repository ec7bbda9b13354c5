export type {
  AccountPolicyRepository,
  CreatedSession,
  DeletedMemberSessions,
  SealedSecret,
  TeamSettingRecord,
} from "./auth/account-policy-repository.ts"
export type {
  AccountSettingsRepository,
  PendingInvitationRecord,
  UserPreferenceRecord,
} from "./auth/account-settings-repository.ts"
export type {
  ApiKeyRecord,
  AuditEntry,
  AuditQuery,
  AuthRepository,
  LoginSessionRecord,
  UserRecord,
} from "./auth/auth-types.ts"
export type { IdentityRepository } from "./auth/identity-repository.ts"
export type {
  InvitationRecord,
  TeamMemberRecord,
  TeamRecord,
  TeamRepository,
  TeamRole,
} from "./auth/team-types.ts"
export type { TotpFactorRecord, TotpRepository } from "./auth/totp-repository.ts"
export type {
  ProviderSettingRecord,
  ProviderSettingRepository,
  UsageEntry,
  UsageFilter,
  UsageRepository,
  UsageScope,
} from "./llm/usage-types.ts"
export { openStore } from "./open-store.ts"
export type {
  PermissionSettingRecord,
  PermissionSettingRepository,
  PermissionSettingScope,
} from "./sessions/permission-setting-repository.ts"
export type {
  NewSession,
  SessionPatch,
  SessionRecord,
  SessionRepository,
  ShareRecord,
  TurnLease,
} from "./sessions/session-types.ts"
export type { EventRepository, ProjectRepository, Store, StoreOptions } from "./types.ts"
