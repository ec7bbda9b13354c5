import type { z } from "zod"

/**
 * Words a zod validation failure for the model: each problem with its argument path, then what to do.
 * The model reads this as the tool's result and is expected to call the tool again.
 */
export function describeInputError(tool: string, error: z.ZodError, inputSchema: unknown): string {
  const problems = error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join(".") : "(the arguments)"
    return `- ${where}: ${issue.message}`
  })
  return [
    `The arguments for ${tool} are not valid:`,
    ...problems,
    `Call ${tool} again with corrected arguments. Its parameters are: ${JSON.stringify(inputSchema)}`,
  ].join("\n")
}
