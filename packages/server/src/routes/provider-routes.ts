import type { Authenticated } from "@xionimus/auth"
import {
  ConnectionTest,
  ModelList,
  ProviderSetting,
  ProviderSettingInput,
  TeamParams,
} from "@xionimus/protocol"
import { z } from "zod"
import { defineRoute, emptyResponse, type Route } from "../define-route.ts"
import type { RouteDeps } from "../route-deps.ts"

const ProviderParams = z.strictObject({ providerId: ProviderSettingInput.shape.providerId })
const TeamProviderParams = TeamParams.extend({ providerId: ProviderSettingInput.shape.providerId })
const userOf = (principal: Authenticated) => ({ kind: "user" as const, id: principal.user.id })
const TestBody = z.strictObject({
  provider: z.string().min(1).describe("A provider id, configured or stored"),
})

/**
 * Models and providers of the signed-in user: the models they can choose (with window and prices),
 * "test connection", and their stored provider settings (keys write-only, shown as the last 4).
 */
export function providerRoutes({ services }: RouteDeps): Route[] {
  const { llm } = services
  return [
    defineRoute({
      method: "GET",
      url: "/api/models",
      summary: "The models you can use, with context window, prices and capabilities",
      tags: ["models"],
      access: "self:read",
      response: { 200: ModelList },
      handler: ({ principal }) => llm.listModels(principal!.user.id),
    }),
    defineRoute({
      method: "POST",
      url: "/api/models/test",
      summary: "Test a provider: list the models its endpoint offers, or say exactly why it failed",
      description: "Answers 200 in both cases; `ok` and `error.reason` tell them apart.",
      tags: ["models"],
      access: "self:read",
      body: TestBody,
      response: { 200: ConnectionTest },
      handler: ({ body, principal }) => llm.testProvider(body.provider, principal!.user.id),
    }),
    defineRoute({
      method: "GET",
      url: "/api/providers",
      summary: "Your stored provider settings (keys never returned, only their last 4 characters)",
      tags: ["models"],
      access: "self:read",
      response: { 200: z.object({ items: z.array(ProviderSetting) }) },
      handler: async ({ principal }) => ({ items: await llm.listSettings(userOf(principal!)) }),
    }),
    defineRoute({
      method: "PUT",
      url: "/api/providers/:providerId",
      summary:
        "Store a provider setting for yourself; the key is encrypted at rest (omit it to keep the stored one)",
      tags: ["models"],
      access: "self:write",
      params: ProviderParams,
      body: ProviderSettingInput.omit({ providerId: true }),
      response: { 200: ProviderSetting },
      handler: ({ params, body, principal }) =>
        llm.putSetting(userOf(principal!), { ...body, providerId: params.providerId }),
    }),
    defineRoute({
      method: "DELETE",
      url: "/api/providers/:providerId",
      summary: "Remove one of your stored provider settings",
      tags: ["models"],
      access: "self:write",
      params: ProviderParams,
      response: { 204: emptyResponse("Removed") },
      async handler({ params, principal }) {
        await llm.removeSetting(userOf(principal!), params.providerId)
        return undefined
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/teams/:teamId/providers",
      summary:
        "The team's stored provider settings, which its members get below their own (keys never returned)",
      tags: ["models"],
      access: "team:read",
      params: TeamParams,
      response: { 200: z.object({ items: z.array(ProviderSetting) }) },
      handler: async ({ params }) => ({ items: await llm.listSettings({ kind: "team", id: params.teamId }) }),
    }),
    defineRoute({
      method: "PUT",
      url: "/api/teams/:teamId/providers/:providerId",
      summary: "Store a provider setting for the team (team owners); the key is encrypted at rest",
      tags: ["models"],
      access: "team:manage",
      params: TeamProviderParams,
      body: ProviderSettingInput.omit({ providerId: true }),
      response: { 200: ProviderSetting },
      handler: ({ params, body }) =>
        llm.putSetting({ kind: "team", id: params.teamId }, { ...body, providerId: params.providerId }),
    }),
    defineRoute({
      method: "DELETE",
      url: "/api/teams/:teamId/providers/:providerId",
      summary: "Remove one of the team's stored provider settings (team owners)",
      tags: ["models"],
      access: "team:manage",
      params: TeamProviderParams,
      response: { 204: emptyResponse("Removed") },
      async handler({ params }) {
        await llm.removeSetting({ kind: "team", id: params.teamId }, params.providerId)
        return undefined
      },
    }),
  ]
}
