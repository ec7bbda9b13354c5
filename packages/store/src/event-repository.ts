import type { NewEvent, StoredEvent } from "@xionimus/protocol"
import { type Selectable, sql } from "kysely"
import type { Db, EventTable, JsonCodec } from "./database.ts"
import { toJson } from "./database.ts"
import { isUniqueViolation, type UniqueConstraint } from "./database-error.ts"
import type { EventRepository } from "./types.ts"

const eventId: UniqueConstraint = { name: "event_stream_id", table: "event", columns: ["stream", "id"] }
/** Rows per INSERT / ids per IN (…): far below both databases' bound-parameter limits. */
const chunkSize = 500
/** Concurrent appends of the same new id: the loser retries once and finds the winner's copy. */
const attempts = 3

export interface EventRepositoryDeps {
  db: Db
  json: JsonCodec
  clock: () => Date
}

/**
 * The event log on both databases. Seqs come from the stream's head row, bumped by
 * `insert … on conflict do update set head = head + n returning head` inside the appending
 * transaction: on PostgreSQL that row lock serialises the appenders of one stream (and a rollback
 * returns the numbers), on SQLite the single writer does. So seqs are gap-free and never reused.
 */
export function createEventRepository({ db, json, clock }: EventRepositoryDeps): EventRepository {
  const toEvent = (row: Selectable<EventTable>): StoredEvent => ({
    id: row.id,
    stream: row.stream,
    seq: Number(row.seq),
    type: row.type,
    data: json.decode(row.data),
    time: row.time,
  })

  async function appendOnce(stream: string, events: NewEvent[]): Promise<StoredEvent[]> {
    return db.transaction().execute(async (transaction) => {
      const stored = new Map<string, StoredEvent>()
      const ids = [...new Set(events.map((event) => event.id))]
      for (const part of chunks(ids)) {
        const rows = await transaction
          .selectFrom("event")
          .selectAll()
          .where("stream", "=", stream)
          .where("id", "in", part)
          .execute()
        for (const row of rows) stored.set(row.id, toEvent(row))
      }
      // New events, each id once: a repeated id in the batch gets the first one's stored copy.
      const unique: NewEvent[] = []
      const seen = new Set(stored.keys())
      for (const event of events) {
        if (seen.has(event.id)) continue
        seen.add(event.id)
        unique.push(event)
      }
      if (unique.length > 0) {
        const { head } = await transaction
          .insertInto("event_stream")
          .values({ stream, head: unique.length })
          .onConflict((conflict) =>
            conflict
              .column("stream")
              .doUpdateSet({ head: sql<number>`event_stream.head + ${unique.length}` }),
          )
          .returning("head")
          .executeTakeFirstOrThrow()
        const time = clock().toISOString()
        let seq = Number(head) - unique.length
        const rows = unique.map((event) => ({
          stream,
          seq: ++seq,
          id: event.id,
          type: event.type,
          data: toJson(event.data),
          time,
        }))
        for (const part of chunks(rows)) await transaction.insertInto("event").values(part).execute()
        for (const row of rows)
          stored.set(row.id, {
            id: row.id,
            stream,
            seq: row.seq,
            type: row.type,
            data: JSON.parse(row.data),
            time,
          })
      }
      return events.map((event) => stored.get(event.id) as StoredEvent)
    })
  }

  return {
    async append(stream, events) {
      if (events.length === 0) return []
      for (let attempt = 1; ; attempt++) {
        try {
          return await appendOnce(stream, events)
        } catch (error) {
          if (attempt >= attempts || !isUniqueViolation(error, eventId)) throw error
        }
      }
    },

    async read(stream, { after, limit }) {
      const rows = await db
        .selectFrom("event")
        .selectAll()
        .where("stream", "=", stream)
        .where("seq", ">", after)
        .orderBy("seq")
        .limit(limit)
        .execute()
      return rows.map(toEvent)
    },

    async head(stream) {
      const row = await db
        .selectFrom("event_stream")
        .select("head")
        .where("stream", "=", stream)
        .executeTakeFirst()
      return row ? Number(row.head) : 0
    },
  }
}

function chunks<T>(items: T[]): T[][] {
  const parts: T[][] = []
  for (let start = 0; start < items.length; start += chunkSize)
    parts.push(items.slice(start, start + chunkSize))
  return parts
}
