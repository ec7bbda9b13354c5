// An instance administrator changes a team's quota limits from the usage section: the form holds the limits
// in force (storage in MiB), an empty field lifts a limit, a bad number is refused before anything is sent,
// "Use the configured limits" sends an empty override; others see no button. The API is faked at the SDK's
// edge (ProvidersClient, Client, AccountClient); the section, store and form are real.
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react"
import type { QuotaOverrideBody, QuotaReport } from "@xionimus/protocol"
import type { AccountClient, Client, ProvidersClient } from "@xionimus/sdk"
import { expect, test } from "vitest"
import { AppContext } from "../../src/app-context.tsx"
import type { AppServices } from "../../src/app-services.ts"
import { createStore } from "../../src/lib/store.ts"
import UsageSection from "../../src/screens/settings/usage-section.tsx"
import type { SettingsState } from "../../src/stores/settings-store.ts"

const empty = {
  calls: 0,
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  reasoningTokens: 0,
  costUsd: 0,
}

function teamReport(limits: Partial<Record<string, number | null>>): QuotaReport {
  const limit = (name: string, configured: number | null) => (name in limits ? limits[name]! : configured)
  return {
    scope: "team",
    id: "tem_1",
    quotas: [
      { name: "modelUsdPerDay", unit: "usd", used: 0.5, limit: limit("modelUsdPerDay", 10), resetsAt: null },
      {
        name: "modelUsdPerMonth",
        unit: "usd",
        used: 1,
        limit: limit("modelUsdPerMonth", null),
        resetsAt: null,
      },
      {
        name: "sandboxCpuSecondsPerDay",
        unit: "cpu-seconds",
        used: 3,
        limit: limit("sandboxCpuSecondsPerDay", 3600),
        resetsAt: null,
      },
      {
        name: "storageBytes",
        unit: "bytes",
        used: 0,
        limit: limit("storageBytes", 512 * 1024 * 1024),
        resetsAt: null,
      },
    ],
  }
}

function renderSection(admin: boolean) {
  const saved: QuotaOverrideBody[] = []
  const providers = {
    usage: async () => ({ totals: empty, groups: [] }),
    myQuotas: async () => ({ scope: "user", id: "usr_1", quotas: [] }),
    teams: async () => [{ id: "tem_1", name: "Core", role: "owner" }],
    teamQuotas: async () => teamReport({}),
    async setTeamQuotas(_teamId: string, override: QuotaOverrideBody) {
      saved.push(override)
      return teamReport(override)
    },
  } as unknown as ProvidersClient
  const client = { listProjects: async () => ({ items: [], nextCursor: null }) } as unknown as Client
  const account = { me: async () => ({ user: { id: "usr_1", admin } }) } as unknown as AccountClient
  const settings = { state: createStore<SettingsState>({ locale: "en", theme: "light", dark: false }) }
  const services = { providers, client, account, settings } as unknown as AppServices
  render(
    <AppContext.Provider value={services}>
      <UsageSection />
    </AppContext.Provider>,
  )
  return { saved }
}

test("an administrator changes a team's limits; an empty field lifts one; a bad number is refused first", async () => {
  const { saved } = renderSection(true)
  fireEvent.click(await screen.findByTestId("quota-edit"))
  const field = (name: string) =>
    screen.getAllByTestId("quota-limit").find((input) => input.dataset.quota === name) as HTMLInputElement
  expect(field("modelUsdPerDay").value).toBe("10")
  expect(field("modelUsdPerMonth").value).toBe("")
  expect(field("storageBytes").value).toBe("512")
  fireEvent.change(field("modelUsdPerDay"), { target: { value: "-3" } })
  fireEvent.click(screen.getByTestId("quota-save"))
  expect(screen.getByTestId("quota-limit-invalid").textContent).toMatch(/a number of 0 or more/)
  expect(saved).toEqual([])

  fireEvent.change(field("modelUsdPerDay"), { target: { value: "2,5" } })
  fireEvent.change(field("sandboxCpuSecondsPerDay"), { target: { value: "" } })
  fireEvent.change(field("storageBytes"), { target: { value: "1024" } })
  await act(async () => fireEvent.click(screen.getByTestId("quota-save")))
  expect(saved).toEqual([
    {
      modelUsdPerDay: 2.5,
      modelUsdPerMonth: null,
      sandboxCpuSecondsPerDay: null,
      storageBytes: 1024 * 1024 * 1024,
    },
  ])
  // The form closes and the bars show the new limits.
  await waitFor(() => expect(screen.queryByTestId("quota-form")).toBeNull())
  const team = screen.getAllByTestId("quota-report").find((report) => report.dataset.scope === "team")!
  expect(
    within(team).getByRole("progressbar", { name: "Model cost today" }).getAttribute("aria-valuetext"),
  ).toBe("$0.50 of $2.50 (20%)")
  expect(within(team).queryByRole("progressbar", { name: "Sandbox CPU time today" })).toBeNull()

  fireEvent.click(screen.getByTestId("quota-edit"))
  await act(async () => fireEvent.click(screen.getByTestId("quota-reset")))
  expect(saved.at(-1)).toEqual({})
})

test("someone who is not an administrator sees the team's limits without a button to change them", async () => {
  renderSection(false)
  await waitFor(() =>
    expect(screen.getAllByTestId("quota-report").some((report) => report.dataset.scope === "team")).toBe(
      true,
    ),
  )
  expect(screen.queryByTestId("quota-edit")).toBeNull()
})
