import type { ApiKey, ApiKeyScope, LoginSession, Me } from "@xionimus/protocol"
import type { AccountClient, ApiError } from "@xionimus/sdk"
import { createStore, type Store } from "../lib/store.ts"
import { toApiError } from "../lib/to-api-error.ts"

export interface ProfileState {
  principal: Me | null
  sessions: LoginSession[]
  apiKeys: ApiKey[]
  loaded: boolean
  /** The load failed (the forms report their own errors). */
  error: ApiError | null
  /** Whether two-factor sign-in is on ("unknown" only until the first load answers). */
  twoFactor: "unknown" | "on" | "off"
  /** A started enrolment: the secret to type in and its otpauth:// URI. */
  enrolment: { secret: string; uri: string } | null
  /** Shown once, right after two-factor is turned on. */
  recoveryCodes: string[] | null
  /** A key's secret right after it was created or rotated: shown once, then gone. */
  revealed: { keyId: string; name: string; secret: string } | null
}

/** Every action answers the error to show beside its form, or null when it worked. */
type Outcome = Promise<ApiError | null>

export interface Profile {
  state: Store<ProfileState>
  load(): Promise<void>
  /** Changes the display name. */
  rename(name: string): Outcome
  changePassword(currentPassword: string, newPassword: string): Outcome
  endSession(sessionId: string): Outcome
  /** Ends every sign-in session but this browser's. */
  endOtherSessions(): Outcome
  beginTwoFactor(): Outcome
  confirmTwoFactor(code: string): Outcome
  cancelEnrolment(): void
  disableTwoFactor(password: string): Outcome
  dismissRecoveryCodes(): void
  createKey(input: { name: string; scope: ApiKeyScope; expiresInDays?: number }): Outcome
  rotateKey(keyId: string): Outcome
  revokeKey(keyId: string): Outcome
  dismissSecret(): void
  /** Deletes the account; the caller reloads the page into the sign-in form when it worked. */
  deleteAccount(password: string): Outcome
}

/** The profile and security settings of the signed-in user. */
export function createProfile(account: AccountClient): Profile {
  const state = createStore<ProfileState>({
    principal: null,
    sessions: [],
    apiKeys: [],
    loaded: false,
    error: null,
    twoFactor: "unknown",
    enrolment: null,
    recoveryCodes: null,
    revealed: null,
  })

  async function attempt(run: () => Promise<void>): Outcome {
    try {
      await run()
      return null
    } catch (error) {
      return toApiError(error)
    }
  }
  const refreshSessions = async () => state.patch({ sessions: await account.sessions() })
  const refreshKeys = async () => state.patch({ apiKeys: await account.apiKeys() })

  return {
    state,
    async load() {
      try {
        const [principal, sessions, apiKeys] = await Promise.all([
          account.me(),
          account.sessions(),
          account.apiKeys(),
        ])
        state.patch({
          principal,
          sessions,
          apiKeys,
          twoFactor: principal.twoFactor ? "on" : "off",
          loaded: true,
          error: null,
        })
      } catch (error) {
        state.patch({ loaded: true, error: toApiError(error) })
      }
    },
    rename: (name) =>
      attempt(async () => {
        const principal = await account.updateProfile({ name: name.trim() })
        state.patch({ principal })
      }),
    changePassword: (currentPassword, newPassword) =>
      attempt(async () => {
        await account.changePassword({ currentPassword, newPassword })
        // The server ended the other sessions.
        await refreshSessions()
      }),
    endSession: (sessionId) =>
      attempt(async () => {
        await account.endSession(sessionId)
        await refreshSessions()
      }),
    endOtherSessions: () =>
      attempt(async () => {
        const others = state.get().sessions.filter((session) => !session.current)
        for (const session of others) await account.endSession(session.id)
        await refreshSessions()
      }),
    beginTwoFactor: () =>
      attempt(async () => {
        try {
          state.patch({ enrolment: await account.beginTotp(), recoveryCodes: null })
        } catch (error) {
          if (toApiError(error).code === "TOTP_ALREADY_ENABLED") state.patch({ twoFactor: "on" })
          throw error
        }
      }),
    confirmTwoFactor: (code) =>
      attempt(async () => {
        const recoveryCodes = await account.confirmTotp(code.replace(/\s+/g, ""))
        state.patch({ twoFactor: "on", enrolment: null, recoveryCodes })
      }),
    cancelEnrolment: () => state.patch({ enrolment: null }),
    disableTwoFactor: (password) =>
      attempt(async () => {
        await account.disableTotp(password)
        state.patch({ twoFactor: "off", recoveryCodes: null })
      }),
    dismissRecoveryCodes: () => state.patch({ recoveryCodes: null }),
    createKey: (input) =>
      attempt(async () => {
        const created = await account.createApiKey(input)
        state.patch({
          revealed: { keyId: created.apiKey.id, name: created.apiKey.name, secret: created.secret },
        })
        await refreshKeys()
      }),
    rotateKey: (keyId) =>
      attempt(async () => {
        const rotated = await account.rotateApiKey(keyId)
        state.patch({
          revealed: { keyId: rotated.apiKey.id, name: rotated.apiKey.name, secret: rotated.secret },
        })
        await refreshKeys()
      }),
    revokeKey: (keyId) =>
      attempt(async () => {
        await account.revokeApiKey(keyId)
        if (state.get().revealed?.keyId === keyId) state.patch({ revealed: null })
        await refreshKeys()
      }),
    dismissSecret: () => state.patch({ revealed: null }),
    deleteAccount: (password) => attempt(() => account.deleteAccount({ password }).then(() => undefined)),
  }
}
