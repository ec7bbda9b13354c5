/** What is wrong with a new password, by the server's rules (docs/auth.md: NIST SP 800-63B style). */
export type PasswordProblem = "short" | "repetitive" | "predictable" | "email"

export const minimumPasswordLength = 12

/**
 * The same checks the server makes (packages/auth password-policy), so the form can say what is wrong
 * while typing. The server stays the judge: its PASSWORD_WEAK message is shown when it disagrees
 * (it also refuses a list of common passwords that the browser does not carry).
 */
export function passwordProblems(password: string, email = ""): PasswordProblem[] {
  const problems: PasswordProblem[] = []
  const lower = password.toLowerCase()
  if ([...password].length < minimumPasswordLength) problems.push("short")
  if (new Set(lower).size < 4) problems.push("repetitive")
  if (isSequence(lower)) problems.push("predictable")
  const local = email.toLowerCase().split("@")[0] ?? ""
  if (local.length >= 4 && lower.includes(local)) problems.push("email")
  return problems
}

/** A rough strength for the meter: 0 (refused) to 3 (long and varied). */
export function passwordStrength(password: string, email = ""): 0 | 1 | 2 | 3 {
  if (passwordProblems(password, email).length > 0) return 0
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((pattern) => pattern.test(password)).length
  const length = [...password].length
  if (length >= 20 || (length >= 16 && kinds >= 3)) return 3
  if (length >= 14 || kinds >= 3) return 2
  return 1
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
