// End to end: the settings' profile and security, team and invitations, and audit log, in Debian's Chromium
// against the real server serving the built client. The test plays the authenticator app (RFC 6238 codes
// from node:crypto). Screenshots: .test-artifacts/e2e/settings-b-*.png.
import assert from "node:assert/strict"
import { join } from "node:path"
import { test } from "node:test"
import type { Page } from "playwright-core"
import { totpCode } from "../test/settings-b-totp.ts"
import { apiAs, artifacts, owner, setUpOwner, signIn, startE2e } from "./browser.ts"

const newPassword = "a sturdier passphrase for 2026"
const member = { email: "member@example.test", password: "purple monkey dishwasher", name: "Mia Member" }

test("settings: password, two-factor, API keys, sign-in sessions, invitation, roles, audit log (and German)", async () => {
  const run = await startE2e("settings-b")
  try {
    const page = await run.open("owner")
    const testId = (id: string) => page.getByTestId(id)
    const shot = (name: string, on: Page = page) =>
      on.screenshot({ path: join(artifacts, `settings-b-${name}.png`), fullPage: true })

    // First run, then the profile.
    await setUpOwner(page, run.url)
    await page.goto(`${run.url}/#/settings/profile`)
    await testId("profile-section").waitFor()
    assert.equal(await testId("profile-email").textContent(), owner.email)
    // The server says whether two-factor sign-in is on (off, for now).
    await page.locator('[data-testid="two-factor-status"][data-state="off"]').waitFor()
    await shot("01-profile")

    // The display name is changed in place and kept by the server.
    assert.ok(await testId("profile-name-save").isDisabled(), "nothing to save yet")
    await testId("profile-name-input").fill("Olivia Owner")
    await testId("profile-name-save").click()
    await testId("profile-name-saved").waitFor()

    // Password: a wrong current one is refused in words; a weak new one is flagged while typing.
    await testId("password-current").fill("not my password")
    await testId("password-new").fill("short")
    await page.locator('[data-testid="password-strength"][data-strength="0"]').waitFor()
    assert.ok(await testId("password-submit").isDisabled())
    await testId("password-new").fill(newPassword)
    await page.locator('[data-testid="password-strength"][data-strength="3"]').waitFor()
    await testId("password-submit").click()
    await testId("password-error").waitFor()
    assert.equal(await testId("password-error-code").textContent(), "AUTH_INVALID")
    await shot("02-password-wrong")
    await testId("password-current").fill(owner.password)
    await testId("password-new").fill(newPassword)
    await testId("password-submit").click()
    await testId("password-changed").waitFor()

    // API key: the secret is shown once and works until it is revoked.
    await testId("api-key-name").fill("deploy")
    await testId("api-key-scope").selectOption("read")
    await testId("api-key-create").click()
    const secret = (await testId("api-key-secret").textContent()) ?? ""
    assert.match(secret, /^xk_/)
    const asKey = () => fetch(`${run.url}/api/auth/me`, { headers: { authorization: `Bearer ${secret}` } })
    assert.equal((await asKey()).status, 200)
    await page.locator('[data-testid="api-key-row"][data-state="active"]').waitFor()
    await shot("03-api-key-created")
    await testId("api-key-secret-done").click()
    assert.equal(await testId("api-key-secret").count(), 0)
    await testId("api-key-revoke").click()
    await testId("api-key-revoke-confirm").click()
    await page.locator('[data-testid="api-key-row"][data-state="revoked"]').waitFor()
    assert.equal((await asKey()).status, 401)

    // Two-factor: enrol with the secret, confirm with the current code, see the recovery codes.
    await testId("two-factor-enable").click()
    await testId("two-factor-enrol").waitFor()
    const totpSecret = (await testId("two-factor-secret").textContent()) ?? ""
    assert.match(totpSecret, /^[A-Z2-7]{16,}$/)
    assert.match((await testId("two-factor-uri").getAttribute("href")) ?? "", /^otpauth:\/\/totp\//)
    assert.ok(
      ((await testId("two-factor-qr").locator("path").getAttribute("d")) ?? "").length > 1000,
      "a QR code",
    )
    await shot("04-two-factor-enrol")
    await testId("two-factor-code").fill(totpCode(totpSecret))
    await testId("two-factor-confirm").click()
    await testId("recovery-codes").waitFor()
    await page.locator('[data-testid="two-factor-status"][data-state="on"]').waitFor()
    await shot("05-two-factor-on")
    await testId("recovery-codes-done").click()

    // A second browser signs in as the owner: the password, then the authenticator's next code.
    const second = await run.open("owner-second")
    await second.goto(run.url)
    await signIn(second, { email: owner.email, password: newPassword })
    await second.getByTestId("auth-code").waitFor()
    await shot("06-sign-in-code", second)
    await second.getByTestId("auth-code").fill(totpCode(totpSecret, Date.now(), 1))
    await second.getByTestId("auth-submit").click()
    await second.getByTestId("nav-settings").waitFor()

    // The first browser sees both sign-ins and ends the other one.
    await page.reload()
    await testId("profile-section").waitFor()
    // After a reload the profile knows from the server that two-factor is on, and the new name.
    await page.locator('[data-testid="two-factor-status"][data-state="on"]').waitFor()
    assert.equal(await testId("profile-name-input").inputValue(), "Olivia Owner")
    await page.locator('[data-testid="sign-in-session"]').nth(1).waitFor()
    assert.equal(await page.locator('[data-testid="sign-in-session"]').count(), 2)
    assert.equal(await page.locator('[data-testid="sign-in-session"][data-current="true"]').count(), 1)
    await testId("sign-in-sessions").screenshot({ path: join(artifacts, "settings-b-07-sessions.png") })
    await testId("sign-in-session-end").click()
    await testId("sign-in-sessions-only").waitFor()
    await second.reload()
    await second.getByTestId("sign-in-form").waitFor()

    // Team: the owner creates the member's account (an administrator's job, through the API) and invites them.
    const as = await apiAs(page.context(), run.url)
    const cookie = as.headers.cookie!
    const created = await fetch(`${run.url}/api/users`, {
      method: "POST",
      headers: { cookie, "x-csrf-token": as.csrfToken() ?? "", "content-type": "application/json" },
      body: JSON.stringify(member),
    })
    assert.equal(created.status, 201)
    const memberId = ((await created.json()) as { id: string }).id

    await testId("settings-nav-team").click()
    await testId("team-section").waitFor()
    await page.locator('[data-testid="team-member"]').first().waitFor()
    assert.equal(await page.locator('[data-testid="team-member"]').count(), 1)
    await testId("invite-email").fill(member.email)
    await testId("invite-role").selectOption("editor")
    await testId("invite-days").fill("5")
    await testId("invite-submit").click()
    const link = (await testId("invitation-link").textContent()) ?? ""
    assert.match(link, /#\/invitation\?token=/)
    await shot("08-invitation-created")
    // Open invitations are listed (without their links); a mistaken one is revoked.
    await page.locator(`[data-testid="team-pending-invitation"][data-email="${member.email}"]`).waitFor()
    await testId("invite-email").fill("mistake@example.test")
    await testId("invite-submit").click()
    const mistake = page.locator('[data-testid="team-pending-invitation"][data-email="mistake@example.test"]')
    await mistake.waitFor()
    assert.match((await mistake.textContent()) ?? "", /Olivia Owner/)
    assert.ok(!((await testId("team-pending").textContent()) ?? "").includes("token="), "no link in the list")
    await shot("08b-invitations-open")
    await mistake.getByTestId("team-pending-revoke").click()
    await mistake.getByTestId("team-pending-revoke-confirm").click()
    await mistake.waitFor({ state: "detached" })
    assert.equal(await testId("invitation-created").count(), 1, "the revoked link is no longer shown")
    assert.equal(await page.locator('[data-testid="team-pending-invitation"]').count(), 1)

    // The invitee opens the link in their own browser, signs in, and accepts.
    const invitee = await run.open("member")
    await invitee.goto(link)
    await invitee.getByTestId("auth-invitation-note").waitFor()
    await signIn(invitee, member)
    await invitee.getByTestId("invitation-screen").waitFor()
    await shot("09-invitation-accept", invitee)
    await invitee.getByTestId("invitation-accept").click()
    await invitee.getByTestId("invitation-joined").waitFor()

    // The owner sees the new member and makes them a commenter; the invitation is no longer open.
    await page.reload()
    await testId("team-pending-none").waitFor()
    const memberRow = page.locator(`[data-testid="team-member"][data-email="${member.email}"]`)
    await memberRow.waitFor()
    assert.equal(await memberRow.getAttribute("data-role"), "editor")
    await memberRow.getByTestId("team-member-role").selectOption("commenter")
    await page
      .locator(`[data-testid="team-member"][data-email="${member.email}"][data-role="commenter"]`)
      .waitFor()
    await shot("10-team-roles")

    // The member sees the owner's team without the owner's controls, and why.
    await invitee.goto(`${run.url}/#/settings/team`)
    await invitee.getByTestId("team-section").waitFor()
    const ownerTeam = await page.getByTestId("team-picker").inputValue()
    await invitee.getByTestId("team-picker").selectOption(ownerTeam)
    await invitee.getByTestId("team-not-owner").waitFor()
    await invitee.locator('[data-testid="team-member"]').nth(1).waitFor()
    assert.ok(await invitee.getByTestId("team-member-role").first().isDisabled())
    assert.equal(await invitee.getByTestId("team-member-remove").count(), 0)
    assert.equal(await invitee.getByTestId("invite-form").count(), 0)
    await shot("11-team-as-member", invitee)

    // Audit log: the actions above are there; filter by action and by actor; details open; export.
    await testId("settings-nav-audit").click()
    await testId("audit-table").waitFor()
    const actions = await page
      .locator('[data-testid="audit-entry"]')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-action")))
    for (const action of [
      "auth.password.changed",
      "api-key.created",
      "api-key.revoked",
      "auth.totp.enabled",
      "session.revoked",
      "team.invitation.created",
      "team.invitation.accepted",
      "team.role.changed",
    ]) {
      assert.ok(actions.includes(action), `${action} is in the log (${actions.join(", ")})`)
    }
    await shot("12-audit")
    await testId("audit-filter-action").fill("team.role.changed")
    await testId("audit-filter-apply").click()
    // The filtered page replaces the whole table: wait until no other action is left in it.
    await page
      .locator(
        '[data-testid="audit-table"]:not(:has([data-testid="audit-entry"]:not([data-action="team.role.changed"])))',
      )
      .waitFor()
    assert.equal(await page.locator('[data-testid="audit-entry"]').count(), 1)
    await testId("audit-entry-toggle").click()
    await testId("audit-entry-details").filter({ hasText: "commenter" }).waitFor()
    await shot("13-audit-filtered")

    await testId("audit-filter-action").fill("")
    await testId("audit-filter-actor").selectOption(memberId)
    await testId("audit-filter-apply").click()
    await page.locator('[data-testid="audit-entry"][data-action="team.invitation.accepted"]').waitFor()
    const memberActions = await page
      .locator('[data-testid="audit-entry"]')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-action")))
    assert.ok(!memberActions.includes("team.role.changed"), "only the member's own actions")
    const exportHref = (await testId("audit-export").getAttribute("href")) ?? ""
    assert.match(exportHref, /\/api\/audit\/export\?actor=usr_/)
    const exported = await fetch(new URL(exportHref, run.url), { headers: { cookie } })
    assert.equal(exported.status, 200)
    const lines = (await exported.text()).trim().split("\n")
    assert.equal(lines.length, memberActions.length)

    // A range of days: from tomorrow there is nothing yet; an inverted range is refused in words.
    const day = (offset: number) => {
      const date = new Date(Date.now() + offset * 86_400_000)
      return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`
    }
    await testId("audit-filter-actor").selectOption("")
    await testId("audit-filter-from").fill(day(1))
    await testId("audit-filter-apply").click()
    await testId("audit-empty").waitFor()
    assert.match((await testId("audit-export").getAttribute("href")) ?? "", /from=/)
    await testId("audit-filter-to").fill(day(0))
    await testId("audit-range-error").waitFor()
    assert.ok(await testId("audit-filter-apply").isDisabled())
    await testId("audit-filter-from").fill(day(0))
    await testId("audit-filter-apply").click()
    await page.locator('[data-testid="audit-entry"][data-action="team.invitation.revoked"]').waitFor()
    await page.locator('[data-testid="audit-entry"][data-action="account.renamed"]').waitFor()
    await shot("13b-audit-today")

    // German, saved to the account (it follows the user to another browser).
    const languageSaved = page.waitForResponse(
      (response) => response.url().endsWith("/api/me/preferences") && response.request().method() === "PUT",
    )
    await testId("language-de").check({ force: true })
    assert.equal((await languageSaved).status(), 200)
    const preferences = await fetch(`${run.url}/api/me/preferences`, { headers: { cookie } })
    assert.equal(((await preferences.json()) as { language: string }).language, "de")
    await page.getByRole("heading", { name: "Einstellungen" }).waitFor()
    await page.getByText("Handelnde Person").first().waitFor()
    await testId("settings-nav-profile").click()
    await testId("profile-section").waitFor()
    await page.getByRole("heading", { name: "Zwei-Faktor-Anmeldung" }).waitFor()
    await page.getByText("Angemeldete Browser").waitFor()
    await shot("14-profile-de")
    // A phone: the sections stack, the navigation scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 })
    await testId("settings-nav-team").click()
    await testId("team-section").waitFor()
    await page.getByRole("heading", { name: "Offene Einladungen" }).waitFor()
    await shot("15-team-phone-de")
    await testId("language-en").check({ force: true })

    // The owner removes the member: asked first (Cancel takes the question back), then gone from the list.
    await page.setViewportSize({ width: 1280, height: 860 })
    await memberRow.getByTestId("team-member-remove").click()
    await memberRow.getByTestId("team-member-remove-confirm").filter({ hasText: member.name }).waitFor()
    await memberRow.getByRole("button", { name: "Cancel" }).click()
    await memberRow.getByTestId("team-member-remove-confirm").waitFor({ state: "detached" })
    await memberRow.getByTestId("team-member-remove").click()
    await shot("16-team-remove-confirm")
    await memberRow.getByTestId("team-member-remove-confirm").click()
    await memberRow.waitFor({ state: "detached" })
    assert.equal(await page.locator('[data-testid="team-member"]').count(), 1)
  } finally {
    await run.close()
  }
})
