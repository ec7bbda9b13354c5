import type { ProjectFiles } from "@xionimus/tools"

/** Files in the project root whose text joins the system prompt, in this order. */
export const instructionFiles = ["AGENTS.md", "CONTEXT.md"] as const
/** Characters taken from each instruction file; the rest is left out with a note. */
export const instructionCharacters = 20_000

export const basePrompt = `You are Xionimus, an AI software engineer working in a user's project.

The project's files are at /workspace; paths you give to tools are relative to it. Use the tools to
look before you change anything: list, glob and grep to find code, read_file to read it, edit for
exact replacements (write_file for new files), run for shell commands inside the project's sandbox
(tests, builds, scripts; no network unless the project allows it), todo to keep a visible plan for
work of several steps, and task to hand a self-contained piece of research to a sub-agent.

Work in small, verifiable steps: after a change, run the project's tests or the command that proves
it. When a tool fails, read its message: it says what went wrong and what to do next. When the user
denies a call, do not repeat it; find another way or ask.

Be concise. Answer in the user's language. When you are done, say in a few sentences what you
changed and how you checked it.`

/**
 * The base prompt plus the project's own instructions (AGENTS.md, CONTEXT.md in the project root,
 * read through the root-confined files; missing files are skipped, long ones cut).
 */
export async function buildSystemPrompt(files: ProjectFiles, base = basePrompt): Promise<string> {
  const sections = [base]
  for (const name of instructionFiles) {
    const text = await readInstructions(files, name)
    if (text === undefined) continue
    const cut = text.length > instructionCharacters
    sections.push(
      `# Project instructions from ${name}\n\n${cut ? `${text.slice(0, instructionCharacters)}\n\n[${name} was cut after ${instructionCharacters} characters]` : text}`,
    )
  }
  return sections.join("\n\n")
}

async function readInstructions(files: ProjectFiles, name: string): Promise<string | undefined> {
  try {
    const { entry, content } = await files.read(name)
    if (entry.type !== "file") return undefined
    const text = content.toString("utf8").trim()
    return text === "" ? undefined : text
  } catch {
    // Missing, a directory, a link out of the workspace: no instructions from it.
    return undefined
  }
}
