/**
 * What a chat code block can do besides being copied: be written to a file (where does it go?) and be run in
 * the project's sandbox (with what?).
 */

const pathLike = /^(?:\.{0,2}\/)?[\w@.+-]+(?:\/[\w@.+-]+)*\.\w+$/
const attribute = /\b(?:title|file|filename|path)=["']?([^"'\s]+)["']?/
const firstLineComment =
  /^\s*(?:\/\/|#|--|;|\/\*|<!--)\s*(?:file(?:name)?:\s*)?(\S+?\.\w+)\s*(?:\*\/|-->)?\s*$/i

/**
 * The file a code block is meant for, where the model said so: the fence's info (```ts src/a.ts, ```ts
 * title="src/a.ts"), else a first-line comment naming a file (// src/a.ts, # file: app.py); else "".
 */
export function pathHint(info: string, code: string): string {
  const named = attribute.exec(info)?.[1] ?? info.split(/\s+/).find((word) => pathLike.test(word))
  if (named) return clean(named)
  const first = code.split("\n", 1)[0] ?? ""
  const commented = firstLineComment.exec(first)?.[1]
  return commented && pathLike.test(commented) ? clean(commented) : ""
}

function clean(path: string): string {
  return path.replace(/^\.\//, "").replace(/^\/workspace\//, "")
}

const shells = new Set(["sh", "bash", "shell", "console", "zsh", "shellsession"])
const interpreters: Record<string, string[]> = {
  python: ["python3", "-c"],
  py: ["python3", "-c"],
  python3: ["python3", "-c"],
  js: ["node", "-e"],
  javascript: ["node", "-e"],
  node: ["node", "-e"],
  mjs: ["node", "--input-type=module", "-e"],
}

/**
 * The command that runs a code block in the sandbox: shell languages as a shell script (a `$ ` prompt in
 * front of a line is dropped), Python and JavaScript by their interpreter; null for the rest (no Run button).
 */
export function runCommandFor(language: string, code: string): string | string[] | null {
  const lang = language.toLowerCase()
  if (shells.has(lang)) {
    const script = code
      .split("\n")
      .map((line) => line.replace(/^\s*\$\s+/, ""))
      .join("\n")
      .trim()
    return script === "" ? null : script
  }
  const interpreter = interpreters[lang]
  return interpreter && code.trim() !== "" ? [...interpreter, code] : null
}
