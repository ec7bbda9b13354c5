import { AppError } from "@xionimus/kit"
import type { z } from "zod"

export type InputLocation = "params" | "query" | "body"

export interface ValidationIssue {
  /** Where the problem is: the URL path parameters, the query string or the body. */
  in: InputLocation
  /** Dotted path of the field ("git.url"), "" for the whole input. */
  path: string
  code: string
  message: string
}

const nouns: Record<InputLocation, string> = {
  params: "URL parameters",
  query: "query string",
  body: "request body",
}

export type ParsedInput<Value> = { ok: true; value: Value } | { ok: false; issues: ValidationIssue[] }

/** Parses one part of a request with its schema, collecting every bad field. */
export function parseInput<Schema extends z.ZodType>(
  location: InputLocation,
  schema: Schema,
  value: unknown,
): ParsedInput<z.output<Schema>> {
  const result = schema.safeParse(value)
  if (result.success) return { ok: true, value: result.data }
  return { ok: false, issues: result.error.issues.flatMap((issue) => issuesOf(location, issue)) }
}

/** Parses one part of a request with its schema; raises VALIDATION_FAILED naming every bad field. */
export function validateInput<Schema extends z.ZodType>(
  location: InputLocation,
  schema: Schema,
  value: unknown,
): z.output<Schema> {
  const parsed = parseInput(location, schema, value)
  if (parsed.ok) return parsed.value
  throw validationError(parsed.issues)
}

/** The issues of a request part that takes no input but got some. */
export function unexpectedInput(location: InputLocation, keys: string[]): ValidationIssue[] {
  return keys.map((key) => ({
    in: location,
    path: key,
    code: "unrecognized_keys",
    message: "not expected here",
  }))
}

/** VALIDATION_FAILED with the issues in details and the first few in the message. */
export function validationError(issues: ValidationIssue[]): AppError {
  const locations = [...new Set(issues.map((issue) => issue.in))]
  const where = locations.length === 1 ? `The ${nouns[locations[0]!]} is` : "The request is"
  const summary = issues
    .slice(0, 3)
    .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
    .join("; ")
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : ""
  return new AppError(
    "VALIDATION_FAILED",
    `${where} not valid: ${summary}${more}. Fix the listed fields and send it again.`,
    { issues },
  )
}

function issuesOf(location: InputLocation, issue: z.core.$ZodIssue): ValidationIssue[] {
  const base = issue.path.map(String)
  // zod reports all unknown keys of an object in one issue on the object; name each field instead.
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({
      in: location,
      path: [...base, key].join("."),
      code: "unrecognized_keys",
      message: "unknown field",
    }))
  }
  return [{ in: location, path: base.join("."), code: issue.code, message: issue.message }]
}
