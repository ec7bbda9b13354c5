/**
 * The routes exercised in this test process, as `METHOD /openapi/{path}`. createTestApp records every
 * request's matched route here; routes.test.ts compares the set with the OpenAPI document at the end.
 */
export const exercisedRoutes = new Set<string>()

export function routeKey(method: string, fastifyUrl: string): string {
  return `${method.toUpperCase()} ${fastifyUrl.replace(/:([A-Za-z0-9_]+)/g, "{$1}")}`
}
