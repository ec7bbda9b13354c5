import type { CatalogEntry } from "./catalog-entry.ts"
import type { ModelMessage, ModelRequest } from "./model-types.ts"

/**
 * Prompt tokens before a call. OpenAI families are counted exactly with gpt-tokenizer (o200k_base or
 * cl100k_base, loaded on first use: ~0.3 s). Other families have no tokenizer on npm that matches
 * the provider's, so they are estimated at one token per 3 characters: English prose averages ~4
 * characters per token and code ~3, so this over-counts on purpose, and the window check refuses or
 * trims a little early rather than letting the provider reject the call.
 */
export interface TokenCounter {
  countText(text: string, tokenizer: CatalogEntry["tokenizer"]): Promise<number>
  countRequest(
    request: Pick<ModelRequest, "system" | "messages" | "tools">,
    tokenizer: CatalogEntry["tokenizer"],
  ): Promise<number>
}

export const charactersPerEstimatedToken = 3
/** Role markers and separators per message (OpenAI documents 3–4). */
export const tokensPerMessage = 4
/** An image of about 1 megapixel costs 765 (OpenAI) to ~1,600 (Anthropic) tokens: take the larger. */
export const tokensPerImage = 1_600

type Count = (text: string) => number

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / charactersPerEstimatedToken)
}

function messageText(message: ModelMessage): { text: string; images: number } {
  if (typeof message.content === "string") return { text: message.content, images: 0 }
  let text = ""
  let images = 0
  for (const part of message.content) {
    if ("type" in part && part.type === "image") images++
    else if ("type" in part && (part.type === "text" || part.type === "reasoning")) text += part.text
    else if ("type" in part && part.type === "tool-call") text += part.toolName + JSON.stringify(part.input)
    else if ("toolCallId" in part)
      text += typeof part.output === "string" ? part.output : JSON.stringify(part.output)
  }
  return { text, images }
}

export function createTokenCounter(): TokenCounter {
  const encoders = new Map<string, Promise<Count>>()
  const counterOf = (tokenizer: CatalogEntry["tokenizer"]): Promise<Count> => {
    if (tokenizer === "estimate") return Promise.resolve(estimateTokens)
    let encoder = encoders.get(tokenizer)
    if (!encoder) {
      encoder =
        tokenizer === "o200k"
          ? import("gpt-tokenizer/encoding/o200k_base").then(
              (module) => (text: string) => module.countTokens(text),
            )
          : import("gpt-tokenizer/encoding/cl100k_base").then(
              (module) => (text: string) => module.countTokens(text),
            )
      encoders.set(tokenizer, encoder)
    }
    return encoder
  }
  return {
    async countText(text, tokenizer) {
      return (await counterOf(tokenizer))(text)
    },
    async countRequest(request, tokenizer) {
      const count = await counterOf(tokenizer)
      let total = request.system ? count(request.system) + tokensPerMessage : 0
      for (const message of request.messages) {
        const { text, images } = messageText(message)
        total += count(text) + tokensPerMessage + images * tokensPerImage
      }
      for (const tool of request.tools ?? [])
        total += count(tool.name + tool.description + JSON.stringify(tool.parameters))
      return total
    },
  }
}
