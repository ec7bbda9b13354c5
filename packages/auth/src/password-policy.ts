import { AppError } from "@xionimus/kit"

export const minimumPasswordLength = 12

// The most common passwords of breach lists that are long enough to pass the length rule.
const common = new Set([
  "123456789012",
  "1234567890123",
  "12345678901234",
  "qwertyuiopasdf",
  "passwordpassword",
  "password1234",
  "password12345",
  "password123456",
  "administrator",
  "iloveyou1234",
  "qwerty123456",
  "1q2w3e4r5t6y",
  "letmeinletmein",
  "welcome12345",
  "changeme1234",
  "xionimus1234",
])

/**
 * NIST SP 800-63B style rules: a length floor (12), no composition rules, but refuse passwords that are
 * common, one repeated character, a plain sequence, or made of the account's e-mail. Raises
 * PASSWORD_WEAK with every broken rule in details.problems.
 */
export function checkPasswordStrength(password: string, context: { email?: string } = {}): void {
  const problems: string[] = []
  const lower = password.toLowerCase()
  if ([...password].length < minimumPasswordLength)
    problems.push(`use at least ${minimumPasswordLength} characters`)
  if (new Set(lower).size < 4) problems.push("use more than three different characters")
  if (common.has(lower) || isSequence(lower)) problems.push("this password is too common or predictable")
  const local = context.email?.toLowerCase().split("@")[0] ?? ""
  if (local.length >= 4 && lower.includes(local))
    problems.push("do not build the password from your e-mail address")
  if (problems.length > 0) {
    throw new AppError("PASSWORD_WEAK", `The password is too weak: ${problems.join("; ")}.`, { problems })
  }
}

function isSequence(text: string): boolean {
  if (text.length < 2) return false
  const step = text.charCodeAt(1) - text.charCodeAt(0)
  if (Math.abs(step) !== 1) return false
  for (let index = 2; index < text.length; index++) {
    if (text.charCodeAt(index) - text.charCodeAt(index - 1) !== step) return false
  }
  return true
}
