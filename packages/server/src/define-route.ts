import type { Readable } from "node:stream"
import type { Authenticated } from "@xionimus/auth"
import type { FastifyReply, FastifyRequest } from "fastify"
import type { z } from "zod"
import type { Access } from "./auth/access.ts"

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE"

/** A response that is not JSON (bytes, a stream, HTML, Prometheus text), documented by its content type. */
export interface RawResponse {
  kind: "raw"
  contentType: string
  description: string
}

/** A response without a body (204). */
export interface EmptyResponse {
  kind: "empty"
  description: string
}

export function rawResponse(contentType: string, description: string): RawResponse {
  return { kind: "raw", contentType, description }
}

export function emptyResponse(description: string): EmptyResponse {
  return { kind: "empty", description }
}

export type ResponseSpec = z.ZodType | RawResponse | EmptyResponse
export type Responses = Record<number, ResponseSpec>

/** Documents a multipart/form-data request body; the handler reads it with `request.parts()`. */
export interface MultipartSpec {
  description: string
  /** Part name → what it holds. */
  fields: Record<string, { description: string; file?: boolean; required?: boolean; many?: boolean }>
}

export interface RouteContext<Params, Query, Body> {
  params: Params
  query: Query
  body: Body
  request: FastifyRequest
  reply: FastifyReply
  /** Who sent the request (null only on public routes without credentials). */
  principal: Authenticated | null
}

type Parsed<Schema> = Schema extends z.ZodType ? z.output<Schema> : undefined

type BodyOf<Spec> = Spec extends z.ZodType
  ? z.input<Spec>
  : Spec extends RawResponse
    ? string | Buffer | Readable
    : undefined

/** What a handler may return: the body of any of the route's declared responses. */
export type HandlerResult<R extends Responses> = { [Status in keyof R]: BodyOf<R[Status]> }[keyof R]

export interface RouteDefinition<
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
  R extends Responses,
> {
  method: HttpMethod
  /** Fastify syntax: `/api/projects/:projectId`. */
  url: string
  summary: string
  description?: string
  tags: string[]
  /** Who may call the route (auth/access.ts). Required: a route without it is refused at registration. */
  access: Access
  params?: P
  query?: Q
  body?: B
  multipart?: MultipartSpec
  /** Largest JSON body of this route in bytes, where it differs from `server.bodyLimitBytes` (imports). */
  bodyLimit?: number
  /**
   * Status → schema. The lowest 2xx status is sent unless the handler sets another with `reply.code()`;
   * error statuses need not be listed (every route may answer the error shape).
   */
  response: R
  // Method syntax keeps handlers assignable to the erased `Route` type below (parameter bivariance).
  handler(
    context: RouteContext<Parsed<P>, Parsed<Q>, Parsed<B>>,
  ): Promise<HandlerResult<R>> | HandlerResult<R>
}

/** A route with its types erased, as the registry and the OpenAPI generator see it. */
export type Route = RouteDefinition<
  z.ZodType | undefined,
  z.ZodType | undefined,
  z.ZodType | undefined,
  Responses
>

/**
 * Declares one HTTP route: its inputs are validated with the given zod schemas (strictly: unknown fields
 * fail), its handler is typed from them, and the same definition feeds the OpenAPI document.
 */
export function defineRoute<
  R extends Responses,
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(definition: RouteDefinition<P, Q, B, R>): Route {
  return definition as unknown as Route
}

/** The status sent when the handler does not choose one: the lowest declared 2xx. */
export function successStatus(route: Route): number {
  const statuses = Object.keys(route.response)
    .map(Number)
    .filter((status) => status >= 200 && status < 300)
    .sort((a, b) => a - b)
  return statuses[0] ?? 200
}
