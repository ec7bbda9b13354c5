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

/** Parses one part of a request with its schema; raises VALIDATION_FAILED naming every bad field. */
export function validateInput<Schema extends z.ZodType>(
  location: InputLocation,
  schema: Schema,
  value: unknown,
): z.output<Schema> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issues = result.error.issues.flatMap((issue) => issuesOf(location, issue))
  throw validationError(location, issues)
}

/** The error raised for a request part that takes no input but got some. */
export function unexpectedInput(location: InputLocation, keys: string[]): AppError {
  return validationError(
    location,
    keys.map((key) => ({ in: location, path: key, code: "unrecognized_keys", message: "not expected here" })),
  )
}

function validationError(location: InputLocation, issues: ValidationIssue[]): AppError {
  const summary = issues
    .slice(0, 3)
    .map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message))
    .join("; ")
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : ""
  return new AppError(
    "VALIDATION_FAILED",
    `The ${nouns[location]} is not valid: ${summary}${more}. Fix the listed fields and send it again.`,
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
