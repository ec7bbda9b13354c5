// The profile, team and audit stores of the settings screen against the real server (port 0, temp data dir),
// signed in like a browser (session cookies and CSRF token) as the owner and as a second user.
import assert from "node:assert/strict"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, test } from "node:test"
import { Config } from "@xionimus/config"
import { silentLogger } from "@xionimus/kit"
import { type AccountClient, createAccountClient, createAuthClient, isApiError } from "@xionimus/sdk"
import { startServer } from "@xionimus/server"
import { signInOwner, testOwner } from "@xionimus/testing"
import { parseRoute } from "../src/lib/router.ts"
import { createAuditLog } from "../src/stores/settings-audit-store.ts"
import { createProfile } from "../src/stores/settings-profile-store.ts"
import { canManage, createTeamSettings } from "../src/stores/settings-team-store.ts"
import { cookieJar } from "./settings-b-cookies.ts"
import { totpCode } from "./settings-b-totp.ts"

let dir: string
let server: Awaited<ReturnType<typeof startServer>>
let ownerHeaders: Record<string, string>
const member = { email: "member@example.test", password: "purple monkey dishwasher", name: "Mia Member" }

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "xionimus-settings-b-"))
  server = await startServer({
    config: Config.parse({ dataDir: join(dir, "data"), log: { level: "silent" }, server: { port: 0 } }),
    logger: silentLogger(),
  })
  ownerHeaders = (await signInOwner(server.url)).headers
})
after(async () => {
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

/** A fresh browser-like sign-in: its account client, or the error the server answered. */
async function signIn(email: string, password: string, code?: string): Promise<AccountClient> {
  const jar = cookieJar()
  const auth = createAuthClient({ baseUrl: server.url, fetch: jar.fetch, csrfToken: jar.csrfToken })
  await auth.login({ email, password, ...(code ? { code } : {}) })
  return createAccountClient({ baseUrl: server.url, fetch: jar.fetch, csrfToken: jar.csrfToken })
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    if (isApiError(error)) return error.code
    throw error
  }
  return "none"
}

test("profile: password, sign-in sessions, two-factor, API keys", async () => {
  let password: string = testOwner.password
  const account = await signIn(testOwner.email, password)
  const profile = createProfile(account)
  await profile.load()
  let state = profile.state.get()
  assert.equal(state.error, null)
  assert.equal(state.principal?.user.email, testOwner.email)
  assert.equal(state.sessions.filter((session) => session.current).length, 1)
  assert.equal(await profile.rename("  Owen Owner "), null)
  assert.equal(profile.state.get().principal?.user.name, "Owen Owner")
  assert.equal((await account.me()).user.name, "Owen Owner")
  assert.equal((await profile.rename(" "))?.code, "VALIDATION_FAILED")

  // Another browser signs in; ending the others ends it (and the first-run sign-in).
  const other = await signIn(testOwner.email, password)
  await profile.load()
  assert.ok(profile.state.get().sessions.length >= 3)
  assert.equal(await profile.endOtherSessions(), null)
  assert.deepEqual(
    profile.state.get().sessions.map((session) => session.current),
    [true],
  )
  assert.equal(await codeOf(other.me()), "AUTH_INVALID")

  // Password: wrong current one, a weak new one, then a good one (which works for the next sign-in).
  assert.equal(
    (await profile.changePassword("not my password", "a much better passphrase"))?.code,
    "AUTH_INVALID",
  )
  assert.equal((await profile.changePassword(password, "short"))?.code, "PASSWORD_WEAK")
  password = "a much better passphrase"
  assert.equal(await profile.changePassword(testOwner.password, password), null)
  assert.equal(await codeOf(signIn(testOwner.email, testOwner.password)), "AUTH_INVALID")

  // Two-factor: enrol, a wrong code, the right one; then sign-in needs a code (or a recovery code).
  assert.equal(profile.state.get().twoFactor, "off")
  assert.equal(await profile.beginTwoFactor(), null)
  const secret = profile.state.get().enrolment?.secret
  assert.ok(secret, "an enrolment secret")
  assert.match(profile.state.get().enrolment!.uri, /^otpauth:\/\/totp\//)
  const now = Date.now()
  const current = new Set([-1, 0, 1].map((offset) => totpCode(secret, now, offset)))
  let wrong = 0
  while (current.has(String(wrong).padStart(6, "0"))) wrong += 1
  assert.equal((await profile.confirmTwoFactor(String(wrong).padStart(6, "0")))?.code, "AUTH_INVALID")
  assert.equal(profile.state.get().twoFactor, "off")
  assert.equal(await profile.confirmTwoFactor(totpCode(secret, now)), null)
  state = profile.state.get()
  assert.equal(state.twoFactor, "on")
  assert.equal(state.enrolment, null)
  assert.ok((state.recoveryCodes?.length ?? 0) >= 5)
  const recoveryCode = state.recoveryCodes![0]!

  const fresh = createProfile(account)
  await fresh.load()
  assert.equal(fresh.state.get().twoFactor, "on", "the server says so on load")
  assert.equal((await fresh.beginTwoFactor())?.code, "TOTP_ALREADY_ENABLED")
  assert.equal(fresh.state.get().twoFactor, "on")

  assert.equal(await codeOf(signIn(testOwner.email, password)), "TOTP_REQUIRED")
  // The confirming code's step is used; the authenticator's next code is accepted (one step of drift).
  await signIn(testOwner.email, password, totpCode(secret, Date.now(), 1))
  await signIn(testOwner.email, password, recoveryCode)
  assert.equal(await codeOf(signIn(testOwner.email, password, recoveryCode)), "AUTH_INVALID")

  assert.equal((await profile.disableTwoFactor("wrong password"))?.code, "AUTH_INVALID")
  assert.equal(await profile.disableTwoFactor(password), null)
  assert.equal(profile.state.get().twoFactor, "off")
  await signIn(testOwner.email, password)

  // API keys: the secret is revealed once and works; rotation reveals a new one; revoked keys stay listed.
  assert.equal(await profile.createKey({ name: "ci", scope: "read", expiresInDays: 30 }), null)
  const created = profile.state.get().revealed
  assert.ok(created, "a revealed secret")
  assert.match(created.secret, /^xk_/)
  const withKey = createAccountClient({
    baseUrl: server.url,
    headers: { authorization: `Bearer ${created.secret}` },
  })
  assert.equal((await withKey.me()).scope, "read")
  await profile.load()
  const listed = profile.state.get().apiKeys.find((key) => key.id === created.keyId)
  assert.equal(listed?.name, "ci")
  assert.ok(listed?.expiresAt)
  assert.ok(listed.lastUsedAt, "the key's use is recorded")

  assert.equal(await profile.rotateKey(created.keyId), null)
  const rotated = profile.state.get().revealed
  assert.ok(rotated && rotated.keyId !== created.keyId && rotated.secret !== created.secret)
  assert.equal(rotated.name, "ci")
  profile.dismissSecret()
  assert.equal(profile.state.get().revealed, null)

  assert.equal(await profile.revokeKey(rotated.keyId), null)
  const revoked = profile.state.get().apiKeys.find((key) => key.id === rotated.keyId)
  assert.ok(revoked?.revokedAt, "the revoked key is marked")
  const withRevoked = createAccountClient({
    baseUrl: server.url,
    headers: { authorization: `Bearer ${rotated.secret}` },
  })
  assert.equal(await codeOf(withRevoked.me()), "AUTH_INVALID")
  // A key wider than the credential is refused with the server's words.
  const narrow = createProfile(withKey)
  assert.equal((await narrow.createKey({ name: "wide", scope: "admin" }))?.code, "FORBIDDEN")

  // The account's data downloads as JSON.
  const exported = await fetch(account.exportUrl(), { headers: ownerHeaders })
  assert.equal(exported.status, 200)
  assert.equal(((await exported.json()) as { user: { email: string } }).user.email, testOwner.email)
})

test("team: invite with a link, accept as the invitee, change the role, owner-only for others; audit log", async () => {
  const createdUser = await fetch(`${server.url}/api/users`, {
    method: "POST",
    headers: { ...ownerHeaders, "content-type": "application/json" },
    body: JSON.stringify(member),
  })
  assert.equal(createdUser.status, 201)
  const memberId = ((await createdUser.json()) as { id: string }).id

  const ownerAccount = createAccountClient({ baseUrl: server.url, headers: ownerHeaders })
  const team = createTeamSettings(ownerAccount)
  await team.load()
  let state = team.state.get()
  assert.equal(state.error, null)
  const teamId = state.teamId!
  assert.equal(state.teams.find((item) => item.id === teamId)?.role, "owner")
  assert.ok(canManage(state))
  assert.deepEqual(
    state.members.map((item) => item.email),
    [testOwner.email],
  )

  assert.equal(
    (await team.invite({ email: "not an address", role: "editor", expiresInDays: 3 }))?.code,
    "VALIDATION_FAILED",
  )
  assert.equal(await team.invite({ email: member.email, role: "editor", expiresInDays: 3 }), null)
  const invitation = team.state.get().invitations[0]!
  assert.equal(invitation.email, member.email)
  const hash = new URL(invitation.url).hash
  const route = parseRoute(hash)
  assert.equal(route.name, "invitation")
  const token = route.name === "invitation" ? route.token : ""
  assert.ok(token.length > 10)
  const days = (Date.parse(invitation.expiresAt) - Date.now()) / 86_400_000
  assert.ok(days > 2.9 && days <= 3, `expires in three days (${days})`)

  const memberAccount = await signIn(member.email, member.password)
  assert.equal((await memberAccount.acceptInvitation(token)).id, teamId)
  assert.equal(await codeOf(memberAccount.acceptInvitation(token)), "INVITATION_INVALID")

  await team.selectTeam(teamId)
  assert.equal(team.state.get().members.find((item) => item.userId === memberId)?.role, "editor")
  assert.equal(await team.setRole(memberId, "viewer"), null)
  assert.equal(team.state.get().members.find((item) => item.userId === memberId)?.role, "viewer")

  // The invitee sees the team but may not manage it; the server agrees.
  const memberTeam = createTeamSettings(memberAccount)
  await memberTeam.load()
  assert.notEqual(memberTeam.state.get().teamId, teamId, "their own team comes first")
  await memberTeam.selectTeam(teamId)
  state = memberTeam.state.get()
  assert.equal(state.members.length, 2)
  assert.equal(canManage(state), false)
  assert.equal((await memberTeam.setRole(memberId, "owner"))?.code, "FORBIDDEN")
  assert.equal(
    (await memberTeam.invite({ email: "x@example.test", role: "owner", expiresInDays: 1 }))?.code,
    "FORBIDDEN",
  )

  // The last owner cannot step down.
  const ownerId = team.state.get().me!.id
  assert.equal((await team.setRole(ownerId, "editor"))?.code, "LAST_OWNER")

  // Audit: filters, pages by cursor, actors named, export with the same filter; administrators only.
  const audit = createAuditLog(ownerAccount, 2)
  await audit.load({ action: "team.role.changed" })
  let log = audit.state.get()
  assert.equal(log.error, null)
  assert.ok(log.items.length >= 1)
  assert.ok(log.items.every((entry) => entry.action === "team.role.changed"))
  assert.equal(log.items[0]!.details.to, "viewer")
  assert.ok(log.users.some((user) => user.id === memberId))

  await audit.load({})
  log = audit.state.get()
  assert.equal(log.items.length, 2)
  assert.ok(log.nextCursor)
  await audit.loadMore()
  log = audit.state.get()
  assert.equal(log.items.length, 4)
  assert.equal(new Set(log.items.map((entry) => entry.id)).size, 4)
  assert.ok(log.items[1]!.time >= log.items[2]!.time, "newest first")

  await audit.load({ actor: memberId, action: " team.invitation.accepted " })
  log = audit.state.get()
  assert.deepEqual(log.filter, { actor: memberId, action: "team.invitation.accepted" })
  assert.deepEqual(
    log.items.map((entry) => entry.outcome),
    ["success"],
  )
  const url = new URL(audit.exportUrl())
  assert.equal(url.pathname, "/api/audit/export")
  assert.equal(url.searchParams.get("action"), "team.invitation.accepted")
  const exported = await fetch(url, { headers: ownerHeaders })
  const lines = (await exported.text()).trim().split("\n")
  assert.equal(lines.length, 1)
  assert.equal(JSON.parse(lines[0]!).actorUserId, memberId)

  const memberAudit = createAuditLog(memberAccount)
  await memberAudit.load()
  assert.equal(memberAudit.state.get().error?.code, "FORBIDDEN")

  assert.equal(await team.removeMember(memberId), null)
  assert.deepEqual(
    team.state.get().members.map((item) => item.userId),
    [ownerId],
  )

  // The member deletes their own account (the password confirms it); the log keeps their entries, marked.
  const memberProfile = createProfile(memberAccount)
  assert.equal((await memberProfile.deleteAccount("not the password"))?.code, "AUTH_INVALID")
  assert.equal(await memberProfile.deleteAccount(member.password), null)
  // The server cleared the cookies, and the account can no longer sign in.
  assert.equal(await codeOf(memberAccount.me()), "AUTH_REQUIRED")
  assert.equal(await codeOf(signIn(member.email, member.password)), "AUTH_INVALID")
  const afterDeletion = createAuditLog(ownerAccount)
  await afterDeletion.load({ actor: memberId })
  log = afterDeletion.state.get()
  assert.ok(log.items.length >= 2)
  assert.ok(log.items.every((entry) => entry.actorDeleted === true))
  assert.ok(!log.users.some((user) => user.id === memberId))
})
