import { promisify } from "node:util"
import { brotliCompress, constants, gzip } from "node:zlib"
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify"

const brotli = promisify(brotliCompress)
const gzipAsync = promisify(gzip)

/** Answers smaller than this go as they are: the encoding would cost more than it saves. */
export const minCompressedBytes = 1024

// JSON and text answers; never an event stream (it must reach the client event by event).
const compressibleType = /^(application\/(json|[\w.+-]+\+json|x-ndjson)|text\/(?!event-stream))/i

export type ResponseEncoding = "br" | "gzip"

/**
 * The encoding to answer with for an Accept-Encoding header: brotli, else gzip, when the client takes it
 * (a q of 0 refuses it; `*` takes both); undefined when neither.
 */
export function chooseEncoding(acceptEncoding: string | undefined): ResponseEncoding | undefined {
  if (!acceptEncoding) return undefined
  const accepted = new Map<string, number>()
  for (const part of acceptEncoding.split(",")) {
    const [name = "", ...parameters] = part.trim().toLowerCase().split(";")
    const q = parameters.map((item) => item.trim()).find((item) => item.startsWith("q="))
    const weight = q ? Number(q.slice(2)) : 1
    accepted.set(name.trim(), Number.isFinite(weight) ? weight : 0)
  }
  const weightOf = (name: string) => accepted.get(name) ?? accepted.get("*") ?? 0
  if (weightOf("br") > 0) return "br"
  if (weightOf("gzip") > 0) return "gzip"
  return undefined
}

async function encode(body: Buffer, encoding: ResponseEncoding): Promise<Buffer> {
  if (encoding === "gzip") return gzipAsync(body, { level: 6 })
  return brotli(body, {
    params: {
      // Quality 4 compresses a JSON page about as well as gzip -9 at a fraction of the time.
      [constants.BROTLI_PARAM_QUALITY]: 4,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  })
}

async function compressReply(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
): Promise<unknown> {
  if (request.method === "HEAD" || reply.hasHeader("content-encoding")) return payload
  if (typeof payload !== "string" && !Buffer.isBuffer(payload)) return payload
  const type = reply.getHeader("content-type")
  if (typeof type !== "string" || !compressibleType.test(type)) return payload
  const body = typeof payload === "string" ? Buffer.from(payload) : payload
  if (body.length < minCompressedBytes) return payload
  // Caches must keep one copy per encoding, whether or not this answer was encoded.
  reply.header("vary", appendVary(reply.getHeader("vary")))
  const encoding = chooseEncoding(request.headers["accept-encoding"])
  if (!encoding) return payload
  const encoded = await encode(body, encoding)
  reply.header("content-encoding", encoding)
  reply.removeHeader("content-length")
  return encoded
}

function appendVary(current: unknown): string {
  const value = Array.isArray(current) ? current.join(", ") : typeof current === "string" ? current : ""
  if (/(^|,)\s*(accept-encoding|\*)\s*(,|$)/i.test(value)) return value
  return value ? `${value}, Accept-Encoding` : "Accept-Encoding"
}

/**
 * Compresses JSON and text answers of 1 KiB and more (brotli, else gzip) for clients that take it: a page
 * of a long session's log shrinks about tenfold. Event streams, files sent as streams and the WebSocket are
 * left alone; the web client's built files are compressed once at build time (web-client.ts).
 */
export function registerResponseCompression(app: FastifyInstance): void {
  app.addHook("onSend", async (request, reply, payload) => compressReply(request, reply, payload))
}
