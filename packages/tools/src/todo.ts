import { z } from "zod"
import { defineTool } from "./define-tool.ts"
import { loadDescription } from "./load-description.ts"
import { type TodoItem, todoStatuses } from "./types.ts"

export const TodoParameters = z.object({
  todos: z
    .array(z.object({ content: z.string().min(1).max(1000), status: z.enum(todoStatuses) }))
    .max(100)
    .optional()
    .describe("The whole plan; replaces the previous one. Leave out to read the plan."),
})

const marks: Record<TodoItem["status"], string> = {
  pending: "[ ]",
  in_progress: "[~]",
  completed: "[x]",
  cancelled: "[-]",
}

export const todo = defineTool("todo", {
  description: loadDescription(import.meta.url, "todo.md"),
  parameters: TodoParameters,
  async execute({ todos }, context) {
    if (todos) context.session.setTodos(todos.map((item) => ({ ...item })))
    const items = context.session.todos()
    const open = items.filter((item) => item.status === "pending" || item.status === "in_progress").length
    const output =
      items.length === 0
        ? "The plan is empty."
        : `${items.map((item) => `${marks[item.status]} ${item.content}`).join("\n")}\n\n(${open} open of ${items.length})`
    return { title: `${open} open`, output, metadata: { todos: items } }
  },
})
