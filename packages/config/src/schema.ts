import { z } from "zod"

const MiB = 1024 * 1024

/** The one schema of Xionimus' configuration. Every layer (file, env, flags) is validated by it. */
export const Config = z.strictObject({
  server: z
    .strictObject({
      host: z.string().min(1).default("127.0.0.1"),
      port: z.number().int().min(0).max(65535).default(4100),
      /** Largest JSON body accepted, in bytes. */
      bodyLimitBytes: z
        .number()
        .int()
        .min(1024)
        .default(2 * MiB),
      /** How long in-flight requests may take to finish after SIGTERM. */
      shutdownTimeoutMs: z.number().int().min(0).default(10_000),
      /** Directory of the built web client; empty = the one inside apps/web/dist. */
      webDir: z.string().optional(),
    })
    .prefault({}),
  /** Where Xionimus keeps its data; default $XDG_DATA_HOME/xionimus. */
  dataDir: z.string().min(1).optional(),
  /** postgres://… to use PostgreSQL instead of the embedded SQLite. */
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "a postgres:// or postgresql:// URL")
    .optional(),
  /** redis://… to fan events out over Redis (several server nodes). */
  redisUrl: z
    .string()
    .regex(/^rediss?:\/\//, "a redis:// or rediss:// URL")
    .optional(),
  log: z
    .strictObject({
      level: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
      /** json: one JSON object a line (for log collectors); pretty: for people; auto: pretty on a terminal. */
      format: z.enum(["auto", "json", "pretty"]).default("auto"),
    })
    .prefault({}),
  limits: z
    .strictObject({
      maxFileBytes: z
        .number()
        .int()
        .min(1)
        .default(20 * MiB),
      maxUploadBytes: z
        .number()
        .int()
        .min(1)
        .default(200 * MiB),
      maxUploadFiles: z.number().int().min(1).default(5000),
    })
    .prefault({}),
  projects: z
    .strictObject({
      /** Soft-deleted projects can be restored for this many days. */
      purgeAfterDays: z.number().int().min(0).max(3650).default(30),
    })
    .prefault({}),
})
export type Config = z.infer<typeof Config>
export type ConfigInput = z.input<typeof Config>

/** Key paths whose values `config show` and logs redact. */
export const secretPaths = ["databaseUrl", "redisUrl"] as const
