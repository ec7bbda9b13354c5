import { z } from "zod"

// Evaluated before every schema of this package (index.ts imports it first). Zod compiles object
// validators with `new Function` where it may, and probes for that when the first object schema is built.
// A page whose Content-Security-Policy forbids eval (ours does) reports the probe as a violation, so in a
// browser zod is told first to interpret its schemas; servers keep the compiled validators.
if ("document" in globalThis) z.config({ jitless: true })
