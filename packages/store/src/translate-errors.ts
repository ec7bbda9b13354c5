/** Wraps every method of `target` so that what it throws passes through `translate` first. */
export function translateErrors<T extends object>(target: T, translate: (error: unknown) => unknown): T {
  const wrapped: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(target)) {
    wrapped[key] =
      typeof value === "function"
        ? async (...parameters: unknown[]) => {
            try {
              return await value.apply(target, parameters)
            } catch (error) {
              throw translate(error)
            }
          }
        : value
  }
  return wrapped as T
}
