import type { Logger } from "@xionimus/kit"
import type {
  AccountPolicyRepository,
  AuthRepository,
  IdentityRepository,
  TeamRepository,
  TotpRepository,
} from "@xionimus/store"
import { type AuthServiceOptions, createAuthService } from "./auth-service.ts"
import type { SecretSealer } from "./sealed-totp.ts"
import { createTeamService, type TeamService } from "./team-service.ts"
import { createTotpService, type TotpService } from "./totp-service.ts"
import type { AuthService } from "./types.ts"

/** Users and teams wired together: every new user gets a team; the owner's adopts earlier projects. */
export function createAccounts(
  repositories: {
    auth: AuthRepository
    teams: TeamRepository
    totp: TotpRepository
    identities: IdentityRepository
    accountPolicies: AccountPolicyRepository
  },
  options: Omit<AuthServiceOptions, "repository" | "onUserCreated" | "addressAllowed"> & {
    logger?: Logger
    /** Encrypts TOTP secrets at rest. */
    sealer?: SecretSealer
  } = {},
): { auth: AuthService; teams: TeamService; totp: TotpService } {
  let teams: TeamService | undefined
  const totp = createTotpService({
    totp: repositories.totp,
    ...(options.sealer ? { sealer: options.sealer } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  })
  const { sealer: _, ...authOptions } = options
  const auth = createAuthService({
    ...authOptions,
    repository: repositories.auth,
    secondFactor: totp,
    identities: repositories.identities,
    onUserCreated: (user, first) => teams!.welcome(user, first),
    addressAllowed: (user, meta) => teams!.addressAllowedForSignIn(user, meta.ip),
  })
  teams = createTeamService({
    teams: repositories.teams,
    auth,
    hasTwoFactor: (userId) => totp.isEnabled(userId),
    policies: repositories.accountPolicies,
    ...(options.clock ? { clock: options.clock } : {}),
  })
  return { auth, teams, totp }
}
