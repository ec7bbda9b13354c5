import type {
  ConnectionTest,
  ModelInfo,
  ProviderSetting,
  ProviderSettingInput,
  TeamRole,
} from "@xionimus/protocol"
import type { ApiError, ProvidersClient, SessionsClient } from "@xionimus/sdk"
import { createStore, type Store } from "../lib/store.ts"
import { toApiError } from "../lib/to-api-error.ts"

/** The stored providers of one team the user belongs to; only owners may change them. */
export interface TeamProviders {
  id: string
  name: string
  role: TeamRole
  items: ProviderSetting[]
}

export type ProviderTest =
  | { status: "running" }
  | { status: "done"; result: ConnectionTest }
  | { status: "failed"; error: ApiError }

export interface ProvidersState {
  status: "loading" | "ready" | "error"
  error: ApiError | null
  personal: ProviderSetting[]
  teams: TeamProviders[]
  /** Every model the user can choose (configured and stored providers). */
  models: ModelInfo[]
  /** The last connection test per provider id. */
  tests: Record<string, ProviderTest>
}

export interface ProviderSettings {
  state: Store<ProvidersState>
  load(): Promise<void>
  /** Stores a provider for the user (no teamId) or a team; answers the error to show, or null. */
  save(input: ProviderSettingInput, teamId?: string): Promise<ApiError | null>
  remove(providerId: string, teamId?: string): Promise<ApiError | null>
  test(providerId: string): Promise<void>
}

/**
 * Providers and models of the settings screen: the user's own, their teams', tests, the model list.
 * `onModels` hears every fresh model list (the app hands it to the chat's model picker, which would
 * otherwise keep the list it loaded before a provider was added or removed).
 */
export function createProviderSettings(
  providers: ProvidersClient,
  sessions: SessionsClient,
  onModels: (models: ModelInfo[]) => void = () => {},
): ProviderSettings {
  const state = createStore<ProvidersState>({
    status: "loading",
    error: null,
    personal: [],
    teams: [],
    models: [],
    tests: {},
  })

  async function teamsWithProviders(): Promise<TeamProviders[]> {
    const teams = await providers.teams()
    return Promise.all(
      teams.map(async (team) => ({
        id: team.id,
        name: team.name,
        role: team.role,
        items: await providers.listProviders({ teamId: team.id }),
      })),
    )
  }

  async function load(): Promise<void> {
    state.patch({ status: state.get().status === "ready" ? "ready" : "loading", error: null })
    try {
      const [personal, teams, models] = await Promise.all([
        providers.listProviders(),
        teamsWithProviders(),
        sessions.models(),
      ])
      state.patch({ status: "ready", personal, teams, models: models.models })
      onModels(models.models)
    } catch (error) {
      state.patch({ status: "error", error: toApiError(error) })
    }
  }

  async function change(run: () => Promise<unknown>): Promise<ApiError | null> {
    try {
      await run()
    } catch (error) {
      return toApiError(error)
    }
    await load()
    return null
  }

  return {
    state,
    load,
    save: (input, teamId) => change(() => providers.putProvider(input, teamId ? { teamId } : {})),
    async remove(providerId, teamId) {
      const error = await change(() => providers.removeProvider(providerId, teamId ? { teamId } : {}))
      if (!error) {
        const { [providerId]: _, ...tests } = state.get().tests
        state.patch({ tests })
      }
      return error
    },
    async test(providerId) {
      const setTest = (test: ProviderTest) =>
        state.patch({ tests: { ...state.get().tests, [providerId]: test } })
      setTest({ status: "running" })
      try {
        setTest({ status: "done", result: await providers.testProvider(providerId) })
      } catch (error) {
        setTest({ status: "failed", error: toApiError(error) })
      }
    },
  }
}
