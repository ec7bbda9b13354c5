import { createBubblewrapProvider } from "@xionimus/sandbox"
import { sandboxContract } from "@xionimus/testing"

sandboxContract("bubblewrap", (options) =>
  createBubblewrapProvider({ ...options, cgroupName: "xionimus-test" }),
)
