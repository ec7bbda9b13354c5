import {
  type AccountClient,
  type AuthClient,
  type Client,
  type ConnectionState,
  createAccountClient,
  createAuthClient,
  createClient,
  createOrchestraClient,
  createProvidersClient,
  createSessionsClient,
  createStreamClient,
  csrfTokenFromCookie,
  type OrchestraClient,
  type ProvidersClient,
  type SessionsClient,
  type StreamClient,
  streamUrl,
} from "@xionimus/sdk"
import { type Translate, translate } from "./i18n/translate.ts"
import { type ActionRegistry, createActionRegistry } from "./lib/actions.ts"
import { createRouter, type Router } from "./lib/router.ts"
import { installShortcuts, isMacPlatform } from "./lib/shortcuts.ts"
import { createStore, type Store } from "./lib/store.ts"
import { createModels, type Models } from "./stores/models-store.ts"
import { createProjectActions, type ProjectActions } from "./stores/project-actions.ts"
import { createProjectList, type ProjectList } from "./stores/project-list-store.ts"
import { createDefaultModel, type DefaultModel } from "./stores/settings-default-model.ts"
import { createSettings, type Settings } from "./stores/settings-store.ts"
import { createTemplates, type Templates } from "./stores/templates-store.ts"
import { createToasts, type Toasts } from "./stores/toast-store.ts"

/** Every long-lived object of the app, made once at start and handed to components by context. */
export interface AppServices {
  client: Client
  /** Agent sessions: list, chat, rewind, share, export. */
  sessions: SessionsClient
  models: Models
  /** Stored providers (user and team), connection tests, usage and quotas. */
  providers: ProvidersClient
  /** The model new sessions start with (chosen in Settings, saved on the server, cached here). */
  defaultModel: DefaultModel
  /** Sign-out (sign-in happens before the app starts, in main.tsx). */
  auth: AuthClient
  /** Profile and security, teams and invitations, the audit log (settings). */
  account: AccountClient
  /** Orchestra runs: start, status, gates, cancel, resume, fork, export. */
  orchestra: OrchestraClient
  streams: StreamClient
  connection: Store<ConnectionState>
  router: Router
  settings: Settings
  toasts: Toasts
  projects: ProjectList
  trash: ProjectList
  templates: Templates
  actions: ProjectActions
  /** Every command of the UI (palette, shortcuts, menus); components register theirs while mounted. */
  commands: ActionRegistry
  /** Ctrl or Cmd: how shortcuts are matched and shown. */
  mac: boolean
  /** Translates with the language in effect at the moment of the call. */
  t: Translate
  dispose(): void
}

export function createAppServices(window: Window): AppServices {
  // Signed in by the session cookie; changes carry the CSRF token the server put in a readable cookie.
  const csrfToken = () => csrfTokenFromCookie(window.document.cookie)
  // A session that ended elsewhere (signed out, expired, revoked): reload, which shows the sign-in form.
  const signedOutAware: typeof fetch = async (input, init) => {
    const response = await window.fetch(input, init)
    if (response.status === 401) window.location.reload()
    return response
  }
  const client = createClient({ baseUrl: "", csrfToken, fetch: signedOutAware })
  const sessions = createSessionsClient({ baseUrl: "", csrfToken, fetch: signedOutAware })
  const models = createModels(sessions)
  const providers = createProvidersClient({ baseUrl: "", csrfToken, fetch: signedOutAware })
  const auth = createAuthClient({ baseUrl: "", csrfToken })
  // Without the reload on 401: a wrong current password answers AUTH_INVALID (401) and must stay on the form.
  const account = createAccountClient({ baseUrl: "", csrfToken })
  const orchestra = createOrchestraClient({ baseUrl: "", csrfToken, fetch: signedOutAware })
  const streams = createStreamClient({ url: streamUrl(window.location.origin) })
  const connection = createStore<ConnectionState>(streams.state)
  const stopWatching = streams.onStateChange((state) => connection.set(state))
  const router = createRouter(window)
  const settings = createSettings(window)
  const defaultModel = createDefaultModel(window.localStorage, account, settings)
  void defaultModel.load()
  const toasts = createToasts()
  const projects = createProjectList(client, "exclude")
  const trash = createProjectList(client, "only")
  const templates = createTemplates(client)
  const t: Translate = (key, params) => translate(settings.state.get().locale, key, params)
  const actions = createProjectActions({ client, projects, trash, toasts, t })
  const commands = createActionRegistry()
  const mac = isMacPlatform(window.navigator)
  const stopShortcuts = installShortcuts(window, commands.available, mac)
  return {
    client,
    sessions,
    models,
    providers,
    defaultModel,
    auth,
    account,
    orchestra,
    streams,
    connection,
    router,
    settings,
    toasts,
    projects,
    trash,
    templates,
    actions,
    commands,
    mac,
    t,
    dispose() {
      stopShortcuts()
      stopWatching()
      streams.close()
      router.dispose()
      defaultModel.dispose()
      settings.dispose()
      toasts.dispose()
      projects.dispose()
      trash.dispose()
    },
  }
}
