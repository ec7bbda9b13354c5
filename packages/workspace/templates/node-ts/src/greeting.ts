/** Who to greet and how loudly. */
export interface GreetingOptions {
  name: string
  excited?: boolean
}

export function greeting(options: GreetingOptions): string {
  const name = options.name.trim() || "world"
  return options.excited ? `Hello, ${name}!` : `Hello, ${name}.`
}
