import { z } from "zod"

/** Every stable error code the API can answer with, and what it means for the user. */
export const errorCodes = {
  VALIDATION_FAILED: "The request does not match the expected form; details lists each problem.",
  INVALID_JSON: "The request body is not valid JSON.",
  UNSUPPORTED_MEDIA_TYPE: "The request body has a content type this route does not accept.",
  PAYLOAD_TOO_LARGE: "The request body is larger than the server accepts.",
  ROUTE_NOT_FOUND: "No route matches this method and URL.",
  NOT_FOUND: "The thing asked for does not exist.",
  PROJECT_NOT_FOUND: "No project with this id (or it was deleted and purged).",
  PROJECT_DELETED: "The project is deleted; restore it first.",
  PROJECT_NOT_DELETED: "The project is not deleted, so there is nothing to restore.",
  PROJECT_NAME_TAKEN: "Another project already has this name.",
  TEMPLATE_NOT_FOUND: "No starter template with this id.",
  FILE_NOT_FOUND: "No file or directory at this path.",
  FILE_EXISTS: "A file or directory already exists at this path.",
  NOT_A_FILE: "The path names a directory where a file was expected.",
  NOT_A_DIRECTORY: "The path names a file where a directory was expected.",
  DIRECTORY_NOT_EMPTY: "The directory is not empty.",
  VERSION_CONFLICT: "The file changed since you read it; reload it and apply your change again.",
  PATH_INVALID: "The path is empty, absolute, contains '..', a NUL byte or another forbidden part.",
  PATH_OUTSIDE_WORKSPACE: "The path leads outside the project's workspace (for instance through a symlink).",
  FILE_TOO_LARGE: "The file is larger than the configured per-file limit.",
  UPLOAD_TOO_LARGE: "The upload is larger than the configured per-upload limit.",
  ZIP_INVALID: "The archive is not a valid zip file, or holds entries that cannot be extracted safely.",
  GIT_URL_INVALID: "The git URL is not an http(s), ssh, git or file URL.",
  GIT_CLONE_FAILED: "git could not clone the repository; details holds git's message.",
  DISK_FULL: "The disk is full.",
  READ_ONLY_STORAGE: "The data directory is read-only.",
  PERMISSION_DENIED: "The server process may not write to the data directory.",
  DB_TOO_NEW: "The database was written by a newer Xionimus; upgrade Xionimus or use another data directory.",
  DB_UNREACHABLE: "The database cannot be reached.",
  DB_MIGRATION_FAILED: "A database migration failed; details name the migration and the database's message.",
  BUS_UNREACHABLE: "The event bus (Redis) cannot be reached.",
  STREAM_INVALID: "The stream name is not valid.",
  SUBSCRIPTION_LIMIT: "This connection holds the maximum number of subscriptions.",
  FRAME_INVALID: "The WebSocket frame is not valid JSON of a known type.",
  UPGRADE_REQUIRED: "This URL is a WebSocket endpoint; connect with a WebSocket client.",
  SHUTTING_DOWN: "The server is shutting down; retry on another node or in a moment.",
  CONFIG_INVALID: "The configuration is invalid.",
  BIND_REFUSED: "The server refuses to listen on a non-loopback address until accounts exist.",
  AUTH_REQUIRED: "Sign in (a session cookie) or send an API key (Authorization: Bearer xk_…).",
  AUTH_INVALID: "The e-mail and password, session or API key are wrong, expired or revoked.",
  CSRF_FAILED: "A browser request that changes something lacks the x-csrf-token header matching its session.",
  FORBIDDEN: "You are signed in but may not do this (role or API key scope).",
  ACCOUNT_LOCKED: "Too many failed sign-ins: sign-in for this account is paused for a while.",
  RATE_LIMITED: "Too many requests; wait and retry (retry-after says how long).",
  PASSWORD_WEAK: "The password does not meet the strength rules; details say which.",
  SETUP_DONE: "The owner already exists; sign in instead.",
  SETUP_TOKEN_INVALID: "Creating the owner from another machine needs the setup token from the server log.",
  EMAIL_TAKEN: "Another account already uses this e-mail address.",
  USER_NOT_FOUND: "No user with this id or e-mail address.",
  API_KEY_NOT_FOUND: "No API key with this id.",
  LOGIN_SESSION_NOT_FOUND: "No sign-in session with this id.",
  TEAM_NOT_FOUND: "No team with this id that you belong to.",
  INVITATION_INVALID: "The invitation is wrong, used, expired or meant for another e-mail address.",
  INVITATION_NOT_FOUND:
    "No pending invitation with this id in the team (unknown, accepted, expired or revoked).",
  LAST_OWNER: "The change would leave the team without an owner.",
  TOTP_REQUIRED: "This account signs in with a second factor: send the authenticator's code as well.",
  TOTP_ALREADY_ENABLED: "Two-factor sign-in is on already; turn it off before enrolling again.",
  TOTP_NOT_PENDING: "No two-factor enrolment is pending; start one first.",
  TWO_FACTOR_REQUIRED: "This team requires two-factor sign-in; turn it on for your account first.",
  OIDC_STATE_INVALID: "The sign-in callback's state is unknown, used or expired; start signing in again.",
  OIDC_NO_ACCOUNT: "No account matches the provider's identity; sign-up is by invitation.",
  OIDC_FAILED: "The sign-in provider refused the sign-in (a wrong or used code, a bad token); start again.",
  OIDC_UNAVAILABLE: "The sign-in provider cannot be reached; try again later.",
  RESET_TOKEN_INVALID:
    "The password reset link is wrong, used or expired; ask an administrator for a new one.",
  SESSION_NOT_FOUND: "No session with this id in a project you can see.",
  MESSAGE_NOT_FOUND: "No user message with this id in the session.",
  TURN_NOT_RUNNING: "The session has no running or paused turn to act on.",
  TURN_RUNNING: "A turn of the session is running; cancel it or wait until it ends.",
  REWIND_NOT_FOUND: "No rewind with this id in the session that can be undone (unknown, or undone already).",
  NOTHING_TO_RESUME: "The session's last turn ended normally; send a message instead.",
  PERMISSION_REQUEST_NOT_FOUND:
    "No open permission request with this id; it was answered already or its turn ended.",
  SHARE_NOT_FOUND: "The share link is wrong, revoked or expired.",
  STREAM_NOT_FOUND:
    "No event stream with this name that you may read (streams are named prj_…, ses_…, exec_… or imp_…).",
  PROGRESS_ID_TAKEN: "This progress id is used already; send a new random one (imp_ and 16+ characters).",
  EXPORT_INVALID: "The file is not a Xionimus session export, or it was changed after export.",
  EXPORT_VERSION_UNSUPPORTED: "The export was written by a newer Xionimus; upgrade to import it.",
  TOOL_NOT_FOUND: "No tool with this id is registered.",
  TOOL_INPUT_INVALID: "A tool was called with arguments that do not match its parameters.",
  TOOL_ABORTED: "The tool call was cancelled before it finished.",
  TOOL_DENIED:
    "The permission policy or the user refused the tool call; details may hold the user's message.",
  TOOL_FAILED: "A tool failed in an unexpected way; the message says what happened.",
  EDIT_NO_MATCH: "An edit's old text does not occur in the file.",
  EDIT_AMBIGUOUS: "An edit's old text occurs more than once in the file.",
  FILE_NOT_TEXT: "The file is binary (not UTF-8 text), so it cannot be read or edited as text.",
  COMMAND_UNAVAILABLE: "Commands cannot run here: the project has no sandbox.",
  SEARCH_FAILED: "A file search (ripgrep) failed; the message holds its error.",
  TASK_UNAVAILABLE: "Sub-agents cannot be started in this context.",
  CHECKPOINT_NOT_FOUND: "No checkpoint with this id exists for the project.",
  CALL_NOT_FOUND: "The session has no tool call with this id.",
  CALL_NOT_RECORDED:
    "The tool call has no checkpoint: it changed no files, has not finished, or ran without checkpoints.",
  CHECKPOINT_FAILED: "git could not record, compare or restore a checkpoint; details hold git's message.",
  RUN_NOT_FOUND: "No orchestra run with this id (or it belongs to a project you may not read).",
  RUN_ENDED: "The orchestra run has ended; fork it to go on from one of its steps.",
  RUN_BUSY:
    "Another server is driving this orchestra run now (it holds the run's lease); try again in a moment.",
  GATE_NOT_FOUND: "The run has no gate with this id.",
  GATE_ALREADY_DECIDED: "The gate was decided already; list the run's gates to see the open ones.",
  GATE_DECISION_INVALID:
    "The gate decision is not valid (a rejection needs a comment, an edit a payload of the gate's shape).",
  PRESET_INVALID: "The orchestra preset (roles as data) is not valid; details list each problem.",
  TEMPLATE_INVALID:
    "A work-package template is not valid, or a placeholder is missing; details list the fields.",
  WORKTREE_NOT_FOUND: "The orchestra work package has no worktree (never created, or already removed).",
  MERGE_WORKSPACE_CHANGED:
    "The project's files kept changing while a work package was merged into it; merge again when it is quiet.",
  SANDBOX_UNAVAILABLE:
    "No sandbox backend works on this machine (bubblewrap missing or refused); see `xionimus doctor`.",
  SANDBOX_REQUEST_INVALID:
    "The run request is not valid (working directory outside /workspace, bad environment name...).",
  SANDBOX_LIMIT_INVALID: "A sandbox limit is not a number or below its minimum.",
  SANDBOX_BUSY: "Too many runs are waiting for a sandbox; retry in a moment.",
  SANDBOX_CLOSED: "The sandbox was released or the server is shutting down.",
  SANDBOX_TERMINAL_UNAVAILABLE: "An interactive terminal cannot be opened (no PTY support).",
  SANDBOX_WORKSPACE_INVALID: "The project's workspace directory does not exist or is not a directory.",
  MODEL_CALL_FAILED:
    "A model provider call failed; details.reason says why (rate_limit, overloaded, auth, quota, context_overflow, content_policy, invalid_request, provider_internal, transport, aborted).",
  MODEL_NOT_FOUND: "No configured provider serves this model name (<providerId>/<modelId>).",
  PROVIDER_NOT_FOUND: "No stored provider setting with this id.",
  BUDGET_EXCEEDED: "A spending budget covering this call is used up.",
  SECRETS_KEY_INVALID:
    "The key encrypting stored secrets is missing, malformed or not the one they were stored with.",
  QUOTA_EXCEEDED:
    "A quota of the user or team is used up; details name the quota, what is used, the limit and when it resets.",
  IP_NOT_ALLOWED: "The team only allows sign-in and access from listed addresses; this one is not listed.",
  LAST_ADMIN: "The change would leave the instance without an administrator.",
  REAUTH_REQUIRED: "Confirm with your password (or sign in again) before this change.",
  // Raised by the SDK in the client, never sent by the server:
  NETWORK_ERROR: "The server could not be reached (no answer at all); check that it runs.",
  ABORTED: "The request was cancelled by the client.",
  HTTP_ERROR: "The server answered with a failure status but without an error body (a proxy, for instance).",
  RESPONSE_INVALID: "The answer does not match the protocol schema; client and server versions differ.",
  STREAM_CLIENT_CLOSED: "The stream client was closed; create a new one to subscribe again.",
  INTERNAL: "Something failed inside the server; the request id identifies the log lines.",
} as const

export type ErrorCode = keyof typeof errorCodes

export const ErrorData = z.object({
  code: z.string().describe("Stable, machine-readable code (see errorCodes)"),
  message: z.string().describe("What went wrong and what to do, for a person"),
  details: z.unknown().optional(),
})
export type ErrorData = z.infer<typeof ErrorData>

/** The one shape of every failed HTTP response. */
export const ErrorBody = z.object({
  error: ErrorData.extend({ requestId: z.string().optional() }),
})
export type ErrorBody = z.infer<typeof ErrorBody>
