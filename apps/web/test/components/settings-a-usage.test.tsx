// The usage dashboard as a user and a screen reader meet it: totals, the three charts (our own SVG) with
// their table fallbacks, the period selector asking the API for the right range, and quota progress bars.
// The API is faked at the SDK's edge (ProvidersClient, Client); the component, store and shaping are real.
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react"
import type { UsageQuery, UsageReport } from "@xionimus/protocol"
import type { Client, ProvidersClient } from "@xionimus/sdk"
import { expect, test } from "vitest"
import { AppContext } from "../../src/app-context.tsx"
import type { AppServices } from "../../src/app-services.ts"
import { createStore } from "../../src/lib/store.ts"
import UsageSection from "../../src/screens/settings/usage-section.tsx"
import type { SettingsState } from "../../src/stores/settings-store.ts"

const today = new Date().toISOString().slice(0, 10)
const totals = (calls: number, costUsd: number) => ({
  calls,
  inputTokens: calls * 1000,
  outputTokens: calls * 100,
  cachedInputTokens: 0,
  reasoningTokens: 0,
  costUsd,
})

function fakeServices(locale: "en" | "de") {
  const queries: UsageQuery[] = []
  const reports: Record<string, UsageReport> = {
    day: { totals: totals(3, 0.75), groupBy: "day", groups: [{ key: today, ...totals(3, 0.75) }] },
    model: {
      totals: totals(3, 0.75),
      groupBy: "model",
      groups: [
        { key: "gpt-5", ...totals(2, 0.5) },
        { key: "claude-sonnet-4-5", ...totals(1, 0.25) },
      ],
    },
    project: {
      totals: totals(3, 0.75),
      groupBy: "project",
      groups: [
        { key: "prj_a", ...totals(2, 0.5) },
        { key: null, ...totals(1, 0.25) },
      ],
    },
  }
  const providers = {
    async usage(query: UsageQuery) {
      queries.push(query)
      return reports[query.groupBy ?? "day"]
    },
    async myQuotas() {
      return {
        scope: "user",
        id: "usr_1",
        quotas: [
          { name: "modelUsdPerDay", unit: "usd", used: 0.75, limit: 1, resetsAt: `${today}T00:00:00.000Z` },
          { name: "sandboxCpuSecondsPerDay", unit: "cpu-seconds", used: 12, limit: null, resetsAt: null },
        ],
      }
    },
    async teams() {
      return []
    },
  } as unknown as ProvidersClient
  const client = {
    async listProjects() {
      return { items: [{ id: "prj_a", name: "Atlas" }], nextCursor: null }
    },
  } as unknown as Client
  const settings = { state: createStore<SettingsState>({ locale, theme: "light", dark: false }) }
  const services = { providers, client, settings } as unknown as AppServices
  return { services, queries }
}

test("totals, charts with table fallbacks, and a quota bar; the period asks for its range", async () => {
  const { services, queries } = fakeServices("en")
  render(
    <AppContext.Provider value={services}>
      <UsageSection />
    </AppContext.Provider>,
  )
  await waitFor(() => expect(screen.getByTestId("usage-section").dataset.status).toBe("ready"))
  expect(screen.getByTestId("usage-total-cost").textContent).toBe("$0.75")
  expect(screen.getByTestId("usage-total-calls").textContent).toBe("3")
  expect(screen.getByTestId("usage-total-input").textContent).toBe("3,000")

  // Each chart is a figure named by its caption; the picture is hidden, the table is what is read.
  const perDay = screen.getByRole("figure", { name: "Per day (UTC)" })
  expect(perDay.querySelectorAll('[data-testid="chart-column"]')).toHaveLength(30)
  expect(perDay.querySelector('[aria-hidden="true"] svg')).not.toBeNull()
  const dayTable = within(perDay).getByRole("table")
  expect(within(dayTable).getAllByRole("row")).toHaveLength(31)
  expect(dayTable.className).toBe("sr-only")
  const perModel = screen.getByRole("figure", { name: "Per model" })
  expect(
    within(perModel)
      .getAllByRole("rowheader")
      .map((cell) => cell.textContent),
  ).toEqual(["gpt-5", "claude-sonnet-4-5"])
  expect(
    within(perModel)
      .getAllByRole("cell")
      .map((cell) => cell.textContent),
  ).toEqual(["$0.50", "$0.25"])
  const toggle = within(perModel).getByRole("button", { name: "Show table" })
  fireEvent.click(toggle)
  expect(toggle.getAttribute("aria-expanded")).toBe("true")
  expect(within(perModel).getByRole("table").className).not.toBe("sr-only")
  const perProject = screen.getByRole("figure", { name: "Per project" })
  expect(
    within(perProject)
      .getAllByRole("rowheader")
      .map((cell) => cell.textContent),
  ).toEqual(["Atlas", "No project"])

  // Quotas: a limited one is a progress bar with its value in words; an unlimited one has no bar.
  await waitFor(() => screen.getByRole("progressbar", { name: "Model cost today" }))
  const bar = screen.getByRole("progressbar", { name: "Model cost today" })
  expect(bar.getAttribute("aria-valuetext")).toBe("$0.75 of $1.00 (75%)")
  expect(screen.queryByRole("progressbar", { name: "Sandbox CPU time today" })).toBeNull()

  // Another period: every breakdown is asked again with that range (UTC days, `to` exclusive).
  const before = queries.length
  await act(async () => {
    fireEvent.change(screen.getByLabelText("Period"), { target: { value: "7d" } })
  })
  await waitFor(() => expect(screen.getByTestId("usage-section").dataset.status).toBe("ready"))
  const asked = queries.slice(before)
  expect(asked.map((query) => query.groupBy).sort()).toEqual(["day", "model", "project"])
  const range = asked[0]!
  expect((Date.parse(range.to!) - Date.parse(range.from!)) / 86_400_000).toBe(7)
  expect(range.to!.slice(0, 10) > today).toBe(true)
  expect(perDay.querySelectorAll('[data-testid="chart-column"]')).toHaveLength(7)

  // Another measure redraws from the same answers.
  fireEvent.change(screen.getByLabelText("Show"), { target: { value: "calls" } })
  expect(
    within(perModel)
      .getAllByRole("cell")
      .map((cell) => cell.textContent),
  ).toEqual(["2", "1"])
})

test("German: texts, numbers and money per locale", async () => {
  const { services } = fakeServices("de")
  render(
    <AppContext.Provider value={services}>
      <UsageSection />
    </AppContext.Provider>,
  )
  await waitFor(() => expect(screen.getByTestId("usage-section").dataset.status).toBe("ready"))
  expect(screen.getByTestId("usage-total-cost").textContent).toBe("0,75\u00a0$")
  expect(screen.getByTestId("usage-total-input").textContent).toBe("3.000")
  expect(screen.getByRole("figure", { name: "Pro Modell" })).toBeTruthy()
  await waitFor(() => screen.getByRole("progressbar", { name: "Modellkosten heute" }))
})
