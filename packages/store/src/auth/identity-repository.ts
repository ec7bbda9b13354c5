import type { Kysely } from "kysely"

/** OIDC identities (provider + subject) linked to users. */
export interface IdentityRepository {
  /** The user linked to this provider's subject, if any. */
  find(provider: string, subject: string): Promise<string | undefined>
  link(input: {
    provider: string
    subject: string
    userId: string
    email: string | null
    at: string
  }): Promise<void>
}

interface IdentityTables {
  user_identity: {
    provider: string
    subject: string
    user_id: string
    email: string | null
    created_at: string
  }
}

// biome-ignore lint/suspicious/noExplicitAny: the store's Database type does not list these tables
export function createIdentityRepository(deps: { db: Kysely<any> }): IdentityRepository {
  const db = deps.db as Kysely<IdentityTables>
  return {
    async find(provider, subject) {
      const row = await db
        .selectFrom("user_identity")
        .select("user_id")
        .where("provider", "=", provider)
        .where("subject", "=", subject)
        .executeTakeFirst()
      return row?.user_id
    },
    async link(input) {
      await db
        .insertInto("user_identity")
        .values({
          provider: input.provider,
          subject: input.subject,
          user_id: input.userId,
          email: input.email,
          created_at: input.at,
        })
        .onConflict((conflict) => conflict.columns(["provider", "subject"]).doNothing())
        .execute()
    },
  }
}
