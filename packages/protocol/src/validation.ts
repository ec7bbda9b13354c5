import { z } from "zod"

/**
 * Zod compiles object validators with `new Function` where it may, and probes for that on first use. A page
 * whose Content-Security-Policy forbids eval (ours does) reports each probe as a violation; the browser
 * calls this before validating anything, so zod interprets its schemas instead.
 */
export function interpretValidators(): void {
  z.config({ jitless: true })
}
