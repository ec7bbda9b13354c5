import { z } from "zod"

export const Health = z.object({ status: z.literal("ok") })
export const Readiness = z.object({
  status: z.enum(["ready", "not-ready"]),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), error: z.string().optional() })),
})
export const Version = z.object({ version: z.string(), node: z.string() })
