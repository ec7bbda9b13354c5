import { z } from "zod"

export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(2048).optional(),
})
export type PageQuery = z.infer<typeof PageQuery>

/** A page of a list; `nextCursor` is null on the last page. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() })
}
export interface Page<T> {
  items: T[]
  nextCursor: string | null
}
