import { z } from "zod"

const MiB = 1024 * 1024

/** One model provider (the same shape @xionimus/llm's ProviderConfig validates again). */
const ProviderEntry = z.strictObject({
  type: z.enum(["openai", "openai-compatible", "anthropic", "google", "ollama"]),
  /** An openai-compatible preset: ollama, lmstudio, localai, vllm, openrouter, groq, mistral, deepseek, perplexity, together. */
  preset: z.string().optional(),
  baseURL: z.url().optional(),
  apiKey: z.string().min(1).optional(),
  models: z.array(z.string().min(1)).optional(),
  /** OpenAI only: Responses API (default) or Chat Completions. */
  api: z.enum(["responses", "chat"]).optional(),
  headers: z.record(z.string(), z.string()).optional(),
})

/** A user's correction of the model catalog for one model (prices per million tokens, US dollars). */
const CatalogOverrideEntry = z.strictObject({
  contextWindow: z.number().int().positive().optional(),
  maxOutputTokens: z.number().int().positive().optional(),
  prices: z
    .strictObject({
      input: z.number().min(0).optional(),
      output: z.number().min(0).optional(),
      cachedInput: z.number().min(0).optional(),
    })
    .optional(),
  capabilities: z
    .strictObject({
      tools: z.boolean().optional(),
      vision: z.boolean().optional(),
      reasoning: z.boolean().optional(),
    })
    .optional(),
  tokenizer: z.enum(["o200k", "cl100k", "estimate"]).optional(),
})

/**
 * A sign-in provider: any OpenID Connect issuer (`type: "oidc"`, the default), or GitHub's plain OAuth 2
 * (`type: "github"`). Presets: id `google` fills the issuer https://accounts.google.com; id `github`
 * means `type: "github"`.
 */
const SignInProviderEntry = z
  .strictObject({
    /** Short id in URLs: /api/auth/oidc/<id>/start. */
    id: z.string().regex(/^[a-z0-9-]{1,40}$/, "a lower-case id of letters, digits and dashes"),
    type: z.enum(["oidc", "github"]).optional(),
    /** Shown on the sign-in button; default from the id. */
    name: z.string().min(1).max(100).optional(),
    /** OIDC: the issuer URL (its /.well-known/openid-configuration is read). */
    issuer: z.url().optional(),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    /** GitHub: the web root for authorize/token (default https://github.com; GitHub Enterprise: your host). */
    baseUrl: z.url().optional(),
    /** GitHub: the REST API root (default https://api.github.com). */
    apiBaseUrl: z.url().optional(),
  })
  .refine(
    (entry) => entry.type === "github" || entry.id === "github" || entry.id === "google" || entry.issuer,
    {
      message: "an OpenID Connect provider needs an issuer (only the google and github presets fill it in)",
      path: ["issuer"],
    },
  )

/** Limits per user or per team; unset = unlimited. */
const QuotaLimits = z.strictObject({
  /** Model spend per UTC day, US dollars. */
  modelUsdPerDay: z.number().min(0).optional(),
  /** Model spend per UTC month, US dollars. */
  modelUsdPerMonth: z.number().min(0).optional(),
  /** Sandbox CPU time per UTC day, seconds. */
  sandboxCpuSecondsPerDay: z.number().min(0).optional(),
  /** Bytes of all the team's project workspaces (teams only). */
  storageBytes: z.number().int().min(0).optional(),
})
export type QuotaLimits = z.infer<typeof QuotaLimits>

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
      /**
       * Addresses or CIDRs of reverse proxies whose X-Forwarded-For names the client (sign-in records, IP
       * allow-lists, rate limits). Empty: the client is the TCP peer.
       */
      trustedProxies: z.array(z.string().min(1)).default([]),
      /**
       * The address people reach this server at (https://xionimus.example.com), for links the server
       * hands out (session shares). Empty: links are relative to the page that asked.
       */
      publicUrl: z
        .url({ protocol: /^https?$/, error: "an http(s) URL such as https://xionimus.example.com" })
        .optional(),
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
  /**
   * Model providers by id; a model is named `<providerId>/<modelId>`. OPENAI_API_KEY/OPENAI_BASE_URL,
   * ANTHROPIC_API_KEY/ANTHROPIC_BASE_URL, GEMINI_API_KEY (or GOOGLE_GENERATIVE_AI_API_KEY) and
   * OLLAMA_HOST fill in providers openai, anthropic, google and ollama below the config files.
   */
  providers: z
    .record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "a lower-case provider id"), ProviderEntry)
    .default({}),
  models: z
    .strictObject({
      /** The model used when nothing else is chosen, e.g. "openai/gpt-4o". */
      default: z.string().min(3).optional(),
      /** Role (conductor, implementer, tester, reviewer, …) → model. */
      roles: z.record(z.string(), z.string()).default({}),
      /** Model (or "*") → the models to fall back to, in order, on retryable failures. */
      fallbacks: z.record(z.string(), z.array(z.string())).default({}),
      /** Catalog corrections keyed by "<provider>/<model>" or a bare model id. */
      catalog: z.record(z.string(), CatalogOverrideEntry).default({}),
      /** Spending limits the agent checks before each call (US dollars, UTC days and months). */
      budgets: z
        .array(
          z.strictObject({
            scope: z.enum(["user", "team", "project", "session"]),
            id: z.string().min(1),
            period: z.enum(["day", "month", "total"]),
            limitUsd: z.number().min(0),
          }),
        )
        .default([]),
      /** A call that yields nothing for this long is cut off as a transport failure. */
      idleTimeoutMs: z.number().int().min(1000).default(120_000),
    })
    .prefault({}),
  /**
   * Base64 of 32 random bytes encrypting stored secrets (users' provider keys) with AES-256-GCM.
   * Unset: a key is generated into <dataDir>/secret.key (mode 0600) on first use.
   */
  secretsKey: z.string().min(40).optional(),
  /** The agent's turn loop (docs/agent.md). */
  agent: z
    .strictObject({
      /** Permission mode of sessions whose project and user set none. */
      mode: z.enum(["ask", "auto-edit", "full-auto"]).default("ask"),
      /** Model calls per turn before it ends with outcome `limit`. */
      maxSteps: z.number().int().min(1).max(1000).default(50),
      /** The same tool with the same arguments this many times in a row asks the user. */
      loopThreshold: z.number().int().min(2).max(100).default(3),
      /** Compaction starts when the prompt reaches this share of the model's context window. */
      compactAt: z.number().min(0.1).max(1).default(0.8),
      /** Tokens (input + output) one session may use in total; reaching it pauses the turn. */
      sessionTokens: z.number().int().min(1).optional(),
      /** Tokens all sessions of one project may use in total. */
      projectTokens: z.number().int().min(1).optional(),
    })
    .prefault({}),
  auth: z
    .strictObject({
      /** Sign-in providers (docs/auth.md). */
      oidc: z.array(SignInProviderEntry).default([]),
      /** How long a rotated API key keeps working beside its successor, hours. */
      keyRotationGraceHours: z.number().min(0).max(8760).default(24),
    })
    .prefault({}),
  /** Quotas per user and per team (docs/auth.md#quotas); administrators may override a team's. */
  quotas: z
    .strictObject({
      user: QuotaLimits.omit({ storageBytes: true }).default({}),
      team: QuotaLimits.default({}),
    })
    .prefault({}),
  projects: z
    .strictObject({
      /** Soft-deleted projects can be restored for this many days. */
      purgeAfterDays: z.number().int().min(0).max(3650).default(30),
    })
    .prefault({}),
  /** Where code runs (docs/sandbox.md). Limits are per run; a project may lower them, a call only lower further. */
  sandbox: z
    .strictObject({
      /**
       * bubblewrap: isolated (default). gvisor: runsc's user-space kernel (stronger boundary, no memory, pids
       * or CPU quota). none: on the host, development only, refused with several users.
       */
      backend: z.enum(["bubblewrap", "gvisor", "none"]).default("bubblewrap"),
      /** Runs at once over all projects; the rest wait in a queue. */
      maxConcurrent: z.number().int().min(1).max(1000).default(8),
      timeoutMs: z.number().int().min(1).default(60_000),
      memoryBytes: z
        .number()
        .int()
        .min(16 * MiB)
        .default(512 * MiB),
      pids: z.number().int().min(8).default(256),
      /** Share of CPU cores one run may use. */
      cpuCores: z.number().min(0.01).default(1),
      /** stdout + stderr of one run; past it the run is stopped and a marker appended. */
      outputBytes: z
        .number()
        .int()
        .min(1)
        .default(4 * MiB),
      /** Size of a project's workspace that a run may not grow past. */
      diskBytes: z
        .number()
        .int()
        .min(1)
        .default(2048 * MiB),
      /** Host paths mounted read-only in every sandbox (toolchains outside /usr, e.g. /opt/go). */
      readOnlyPaths: z.array(z.string().regex(/^\//, "an absolute path")).default([]),
      /**
       * Project id → hosts its runs may reach through the egress proxy (names, `*.example.com`, IP literals).
       * Projects not listed have no network.
       */
      networkAllow: z.record(z.string(), z.array(z.string().min(1).max(253))).default({}),
    })
    .prefault({}),
})
export type Config = z.infer<typeof Config>
export type ConfigInput = z.input<typeof Config>

/** Key paths whose values `config show` and logs redact. */
export const secretPaths = ["databaseUrl", "redisUrl", "secretsKey"] as const
