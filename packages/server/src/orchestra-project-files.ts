import { parseTemplate, type Template } from "@xionimus/agent"
import { AppError, toAppError } from "@xionimus/kit"
import type { ProjectFiles } from "@xionimus/workspace"

/** Where a project keeps its own orchestra files (in its workspace, so they travel with the code). */
export const orchestraFolder = ".xionimus/orchestra"
const templatesFolder = `${orchestraFolder}/templates`
const presetsFolder = `${orchestraFolder}/presets`
/** More files than a person writes by hand; the rest is ignored. */
const maxFiles = 200
const presetName = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/

export interface ProjectOrchestraFiles {
  /** The project's work-package templates (`templates/*.md`); one that does not parse is TEMPLATE_INVALID. */
  templates(projectId: string): Promise<Template[]>
  /** The names of the project's presets (`presets/<name>.json`). */
  presetNames(projectId: string): Promise<string[]>
  /** A preset by name, as written (the engine validates it: PRESET_INVALID). */
  preset(projectId: string, name: string): Promise<unknown>
}

/**
 * A project's own roles, presets and templates, read from its workspace through the root-confined file
 * access (a planted symlink cannot lead out of it): `.xionimus/orchestra/templates/<name>.md` adds or
 * replaces a work-package template, `.xionimus/orchestra/presets/<name>.json` is a preset a run can name.
 */
export function createProjectOrchestraFiles(
  filesOf: (projectId: string) => Promise<ProjectFiles>,
): ProjectOrchestraFiles {
  async function filesIn(projectId: string, folder: string, extension: string): Promise<string[]> {
    const files = await filesOf(projectId)
    try {
      const { entries } = await files.list(folder, { limit: maxFiles })
      return entries
        .filter((entry) => entry.type === "file" && entry.name.endsWith(extension))
        .map((entry) => entry.path)
    } catch (error) {
      if (toAppError(error).code === "FILE_NOT_FOUND") return []
      throw error
    }
  }

  async function text(projectId: string, path: string): Promise<string> {
    return (await (await filesOf(projectId)).read(path)).content.toString("utf8")
  }

  return {
    async templates(projectId) {
      const paths = await filesIn(projectId, templatesFolder, ".md")
      return Promise.all(paths.map(async (path) => parseTemplate(await text(projectId, path), path)))
    },
    async presetNames(projectId) {
      return (await filesIn(projectId, presetsFolder, ".json")).map((path) =>
        path.slice(presetsFolder.length + 1, -".json".length),
      )
    },
    async preset(projectId, name) {
      const known = presetName.test(name) ? await this.presetNames(projectId) : []
      if (!known.includes(name)) {
        throw new AppError(
          "PRESET_INVALID",
          `The project has no preset "${name}". Presets are files ${presetsFolder}/<name>.json` +
            (known.length > 0 ? `; this project has: ${known.join(", ")}.` : "; this project has none."),
          { preset: name, known },
        )
      }
      const path = `${presetsFolder}/${name}.json`
      try {
        return JSON.parse(await text(projectId, path))
      } catch (error) {
        if (error instanceof SyntaxError) {
          throw new AppError("PRESET_INVALID", `${path} is not valid JSON: ${error.message}`, {
            preset: name,
          })
        }
        throw error
      }
    },
  }
}
