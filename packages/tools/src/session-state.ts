import type { TodoItem, ToolSessionState } from "./types.ts"

/** Session state held in memory; the agent seeds it from the session's log and persists changes. */
export function createSessionState(
  initial: { todos?: TodoItem[] } = {},
  onChange?: (todos: TodoItem[]) => void,
): ToolSessionState {
  let todos = initial.todos ?? []
  return {
    todos: () => todos.map((item) => ({ ...item })),
    setTodos(items) {
      todos = items.map((item) => ({ ...item }))
      onChange?.(todos.map((item) => ({ ...item })))
    },
  }
}
