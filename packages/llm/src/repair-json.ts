/**
 * Repairs the tool-call JSON models commonly get wrong, only where the fix is unambiguous:
 * a markdown fence or prose around the object, trailing commas, Python literals (True/False/None)
 * outside strings, and closing brackets missing at the very end. Returns the parsed object, or
 * undefined when the text is still not a JSON object (the caller then sends the error back).
 */
export function repairToolInput(text: string): Record<string, unknown> | undefined {
  const direct = parseObject(text)
  if (direct) return direct
  let candidate = text.trim()
  const fenced = /^```[a-zA-Z]*\s*\n?([\s\S]*?)\n?```$/.exec(candidate)
  if (fenced?.[1] !== undefined) candidate = fenced[1].trim()
  const start = candidate.indexOf("{")
  if (start < 0) return undefined
  candidate = candidate.slice(start)
  const closed = closeAndClean(candidate)
  if (closed === undefined) return undefined
  return parseObject(closed)
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

const literals: Record<string, string> = { True: "true", False: "false", None: "null" }

/**
 * One pass outside strings: drops trailing commas, maps Python literals, cuts prose after the
 * object's end and appends the closers still open. Undefined when the text ends inside a string
 * (where the value was cut off is a guess).
 */
function closeAndClean(text: string): string | undefined {
  const open: string[] = []
  let out = ""
  let inString = false
  let escaped = false
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!
    if (inString) {
      out += char
      if (escaped) escaped = false
      else if (char === "\\") escaped = true
      else if (char === '"') inString = false
      continue
    }
    if (char === '"') {
      inString = true
      out += char
    } else if (char === "{" || char === "[") {
      open.push(char === "{" ? "}" : "]")
      out += char
    } else if (char === "}" || char === "]") {
      out = out.replace(/,\s*$/, "")
      open.pop()
      out += char
      if (open.length === 0) return out
    } else {
      const word = /^(True|False|None)\b/.exec(text.slice(index))?.[1]
      if (word) {
        out += literals[word]
        index += word.length - 1
      } else out += char
    }
  }
  if (inString) return undefined
  out = out.replace(/,\s*$/, "")
  return out + open.reverse().join("")
}
