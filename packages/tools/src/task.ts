import { AppError } from "@xionimus/kit"
import { z } from "zod"
import { defineTool } from "./define-tool.ts"
import { loadDescription } from "./load-description.ts"

export const TaskParameters = z.object({
  description: z.string().min(1).max(200).describe("Three to five words for the user"),
  prompt: z.string().min(1).max(100_000).describe("The sub-agent's complete instructions"),
  agent: z.string().min(1).max(100).optional().describe("A named agent profile"),
})

export const task = defineTool("task", {
  description: loadDescription(import.meta.url, "task.md"),
  parameters: TaskParameters,
  permission: ({ description, agent }) => ({
    kind: "other",
    patterns: [agent ?? "default"],
    title: `Sub-agent: ${description}`,
  }),
  async execute({ description, prompt, agent }, context) {
    if (!context.task) {
      throw new AppError(
        "TASK_UNAVAILABLE",
        "Sub-agents cannot be started here (a sub-agent cannot start another). Do the work yourself with the other tools.",
      )
    }
    const result = await context.task({
      description,
      prompt,
      ...(agent ? { agent } : {}),
      signal: context.signal,
    })
    return {
      title: description,
      output: result.summary,
      metadata: result.sessionId ? { sessionId: result.sessionId } : {},
    }
  },
})
