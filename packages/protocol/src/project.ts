import { z } from "zod"
import { PageQuery, pageOf } from "./pagination.ts"

export const ProjectId = z.string().regex(/^prj_[0-9a-f]{14}[0-9A-Za-z]{12}$/, "a project id (prj_…)")

export const ProjectName = z
  .string()
  .trim()
  .min(1, "a name needs at least one visible character")
  .max(100)
  .refine((name) => ![...name].some((char) => char.charCodeAt(0) < 32 || char.charCodeAt(0) === 127), {
    message: "a name may not contain control characters",
  })

export const TemplateId = z.enum(["node-ts", "python", "static-web"])
export type TemplateId = z.infer<typeof TemplateId>

export const ProjectSource = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("empty") }),
  z.object({ kind: z.literal("template"), template: TemplateId }),
  z.object({ kind: z.literal("git"), url: z.string().describe("Clone URL with any credential removed") }),
  z.object({ kind: z.literal("zip"), filename: z.string().optional() }),
  /** A directory elsewhere on the server's disk, used in place (registered by `xionimus run`); never purged. */
  z.object({
    kind: z.literal("directory"),
    path: z.string().describe("Absolute real path of the directory"),
  }),
])
export type ProjectSource = z.infer<typeof ProjectSource>

export const Project = z.object({
  id: ProjectId,
  name: z.string(),
  source: ProjectSource,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  deletedAt: z.iso.datetime().nullable(),
  /** When a deleted project is removed for good; null while it is not deleted. */
  purgeAfter: z.iso.datetime().nullable(),
})
export type Project = z.infer<typeof Project>

export const ProjectPage = pageOf(Project)

export const ProjectListQuery = PageQuery.extend({
  deleted: z.enum(["exclude", "only", "include"]).default("exclude"),
  q: z.string().max(100).optional().describe("Case-insensitive substring of the name"),
})
export type ProjectListQuery = z.infer<typeof ProjectListQuery>

/**
 * A stream the client picks (a random id) before creating a project from git or a zip, to follow the import's
 * progress on the WebSocket: `import.started`, `import.progress` (phase, message, ratio 0..1 where known), then
 * `import.ended` (the project id, or the error).
 */
export const ImportProgressId = z
  .string()
  .regex(/^imp_[0-9A-Za-z_-]{16,64}$/, "imp_ followed by 16 to 64 random letters, digits, _ or -")

export const ImportProgressData = z.object({
  phase: z.string(),
  message: z.string(),
  ratio: z.number().min(0).max(1).optional(),
})
export type ImportProgressData = z.infer<typeof ImportProgressData>

export const ImportEndedData = z.object({
  projectId: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
})
export type ImportEndedData = z.infer<typeof ImportEndedData>

export const CreateProjectBody = z.strictObject({
  name: ProjectName,
  /** The team that owns the project (default: the creator's first team where they may create). */
  teamId: z
    .string()
    .regex(/^tem_[0-9a-f]{14}[0-9A-Za-z]{12}$/, "a team id (tem_…)")
    .optional(),
  template: TemplateId.optional(),
  git: z
    .strictObject({
      url: z.string().min(1).max(2000),
      ref: z.string().min(1).max(200).optional(),
      /** Used for this clone only; never written to disk. */
      token: z.string().min(1).max(1000).optional(),
    })
    .optional(),
  /** Where the import's progress is published (see ImportProgressId). */
  progressId: ImportProgressId.optional(),
})
export type CreateProjectBody = z.infer<typeof CreateProjectBody>

export const RenameProjectBody = z.strictObject({ name: ProjectName })

export const ProjectParams = z.strictObject({ projectId: ProjectId })

export const Template = z.object({
  id: TemplateId,
  name: z.string(),
  description: z.string(),
  testCommand: z.string(),
})
export type Template = z.infer<typeof Template>

export const TemplateList = z.object({ items: z.array(Template) })
