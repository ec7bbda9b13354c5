import { AppError } from "@xionimus/kit"
import {
  ApiKeyList,
  ApiKeyParams,
  CreateApiKeyBody,
  CreatedApiKey,
  RotateApiKeyBody,
  RotatedApiKey,
} from "@xionimus/protocol"
import { defineRoute, emptyResponse, type Route } from "../define-route.ts"
import type { RouteDeps } from "../route-deps.ts"
import { scopeCovers } from "./access.ts"
import { metaOf } from "./request-identity.ts"

/** The signed-in user's API keys: list, create (the secret is shown once), revoke. */
export function apiKeyRoutes({ services, config }: RouteDeps): Route[] {
  const { auth } = services
  return [
    defineRoute({
      method: "POST",
      url: "/api/api-keys/:keyId/rotate",
      summary: "Replace one of your API keys: a new key (shown once) with the same name, scope and expiry",
      description:
        "The old key keeps working for `graceHours` (default auth.keyRotationGraceHours, 24) so that programs " +
        "can switch over, then it is refused. A key may only be rotated by a credential at least as wide.",
      tags: ["api-keys"],
      access: "self:write",
      params: ApiKeyParams,
      body: RotateApiKeyBody,
      response: { 201: RotatedApiKey },
      async handler({ params, body, request, principal }) {
        const who = principal!
        const key = await auth.getApiKey(params.keyId)
        // Someone else's key answers like a missing one: ids are not confirmed to outsiders.
        if (key.userId !== who.user.id && !(who.user.admin && who.scope === "admin")) {
          throw new AppError(
            "API_KEY_NOT_FOUND",
            `No API key ${params.keyId}. List your keys to find the id.`,
          )
        }
        if (!scopeCovers(who.scope, key.scope)) {
          throw new AppError(
            "FORBIDDEN",
            `This key has scope ${key.scope}; rotate it with a credential of that scope (yours is ${who.scope}).`,
            { scope: who.scope },
          )
        }
        return auth.rotateApiKey(params.keyId, body.graceHours ?? config.auth.keyRotationGraceHours, {
          userId: who.user.id,
          keyId: who.keyId,
          ...metaOf(request),
        })
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/api-keys",
      summary: "Your API keys (never their secrets)",
      tags: ["api-keys"],
      access: "self:read",
      response: { 200: ApiKeyList },
      handler: async ({ principal }) => ({ items: await auth.listApiKeys(principal!.user.id) }),
    }),
    defineRoute({
      method: "POST",
      url: "/api/api-keys",
      summary: "Create an API key for yourself; `secret` is shown in this answer only",
      description: "A key may not have a wider scope than the credential that creates it.",
      tags: ["api-keys"],
      access: "self:write",
      body: CreateApiKeyBody,
      response: { 201: CreatedApiKey },
      handler({ body, request, principal }) {
        const who = principal!
        if (!scopeCovers(who.scope, body.scope)) {
          throw new AppError(
            "FORBIDDEN",
            `You may create keys up to scope ${who.scope}, not ${body.scope}.`,
            {
              scope: who.scope,
            },
          )
        }
        return auth.createApiKey(
          {
            userId: who.user.id,
            name: body.name,
            scope: body.scope,
            ...(body.expiresInDays ? { expiresInDays: body.expiresInDays } : {}),
          },
          { userId: who.user.id, keyId: who.keyId, ...metaOf(request) },
        )
      },
    }),
    defineRoute({
      method: "DELETE",
      url: "/api/api-keys/:keyId",
      summary: "Revoke one of your API keys (administrators: anyone's)",
      tags: ["api-keys"],
      access: "self:write",
      params: ApiKeyParams,
      response: { 204: emptyResponse("Revoked") },
      async handler({ params, request, principal }) {
        const who = principal!
        const key = await auth.getApiKey(params.keyId)
        // Someone else's key answers like a missing one: ids are not confirmed to outsiders.
        if (key.userId !== who.user.id && !(who.user.admin && who.scope === "admin")) {
          throw new AppError(
            "API_KEY_NOT_FOUND",
            `No API key ${params.keyId}. List your keys to find the id.`,
          )
        }
        await auth.revokeApiKey(params.keyId, { userId: who.user.id, keyId: who.keyId, ...metaOf(request) })
        return undefined
      },
    }),
  ]
}
