import { createModelError, type ModelPart, type ModelPort } from "@xionimus/llm"

/** A model whose answers stop half way until the test opens the gate: a turn caught mid-stream, no timing. */
export interface GatedModel extends ModelPort {
  /** Lets the waiting (and every later) answer finish. */
  open(): void
  /** Calls made so far. */
  readonly calls: number
  /** Closes the gate again for the next answers. */
  reset(): void
}

/** Each answer streams `before`, waits for the gate, then streams `after` and finishes. */
export function createGatedModel(before: string[], after: string[]): GatedModel {
  let release: () => void = () => undefined
  let gate = new Promise<void>((resolve) => {
    release = resolve
  })
  let calls = 0
  const delta = (text: string): ModelPart => ({ type: "text-delta", text })
  return {
    get calls() {
      return calls
    },
    open: () => release(),
    reset() {
      gate = new Promise<void>((resolve) => {
        release = resolve
      })
    },
    async *stream(request) {
      calls++
      for (const text of before) yield delta(text)
      const aborted = new Promise<"aborted">((resolve) => {
        if (request.signal?.aborted) resolve("aborted")
        request.signal?.addEventListener("abort", () => resolve("aborted"), { once: true })
      })
      if ((await Promise.race([gate, aborted])) === "aborted") {
        const [provider = "gated", model = request.model] = request.model.split("/", 2)
        yield { type: "error", error: createModelError({ provider, model, reason: "aborted" }) }
        return
      }
      for (const text of after) yield delta(text)
      yield {
        type: "finish",
        reason: "stop",
        usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 0, reasoningTokens: 0 },
        model: request.model,
      }
    },
  }
}
