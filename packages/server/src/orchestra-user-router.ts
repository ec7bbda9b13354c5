import { AppError } from "@xionimus/kit"
import type { ModelRouter, RoutedRequest } from "@xionimus/llm"
import type { LlmServices } from "./llm/llm-services.ts"

/**
 * A router that bills and routes each call as the user it is made for (the run's creator: each role's
 * session is created by them), over that user's providers; `choose` answers from the instance's router,
 * made on first use (`ready`, awaited before a run starts) so that a model misconfiguration never stops
 * the server from starting.
 */
export function perUserRouter(llm: LlmServices): ModelRouter & { ready(): Promise<ModelRouter> } {
  let instance: Promise<ModelRouter> | undefined
  let made: ModelRouter | undefined
  const ready = () => {
    instance ??= llm.routerFor(undefined).then(
      (router) => (made = router),
      (error: unknown) => {
        instance = undefined
        throw error
      },
    )
    return instance
  }
  const current = () => {
    if (!made) throw new AppError("MODEL_NOT_FOUND", "The model router is not ready yet; try again.")
    return made
  }
  return {
    ready,
    choose: (request) => current().choose(request),
    chainOf: (model) => current().chainOf(model),
    async *stream(request: RoutedRequest) {
      const router = await llm.routerFor(request.scope?.userId)
      yield* router.stream(request)
    },
  }
}
