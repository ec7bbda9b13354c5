import { TemplateList, Version } from "@xionimus/protocol"
import { defineRoute, type Route, rawResponse } from "../define-route.ts"
import { docsPage } from "../docs-page.ts"
import type { RouteDeps } from "../route-deps.ts"

/** The version, the starter templates and the API's own description. */
export function metaRoutes({ services, openapi, version }: RouteDeps): Route[] {
  return [
    defineRoute({
      method: "GET",
      url: "/api/version",
      summary: "Server version and Node.js version",
      tags: ["meta"],
      access: "public",
      response: { 200: Version },
      handler: () => ({ version, node: process.versions.node }),
    }),
    defineRoute({
      method: "GET",
      url: "/api/templates",
      summary: "Starter templates a project can be created from",
      tags: ["projects"],
      access: "project:read",
      response: { 200: TemplateList },
      handler: () => ({ items: services.workspaces.templates() }),
    }),
    defineRoute({
      method: "GET",
      url: "/api/openapi.json",
      summary: "This API as an OpenAPI 3.1 document",
      tags: ["meta"],
      access: "public",
      response: { 200: rawResponse("application/json", "OpenAPI 3.1 document") },
      handler: ({ reply }) => {
        reply.type("application/json; charset=utf-8")
        return JSON.stringify(openapi.document())
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/docs",
      summary: "A page browsing the OpenAPI document",
      tags: ["meta"],
      access: "public",
      response: { 200: rawResponse("text/html", "HTML page") },
      handler: ({ reply }) => {
        reply.type("text/html; charset=utf-8")
        return docsPage("Xionimus", "/api/openapi.json")
      },
    }),
  ]
}
