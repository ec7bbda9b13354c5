import packageJson from "../../package.json" with { type: "json" }
import { type CliIo, writeLine } from "../cli-io.ts"

export const cliVersion: string = packageJson.version

/** `xionimus version`: the Xionimus and Node versions. */
export function versionCommand(io: CliIo): number {
  writeLine(io.stdout, `xionimus ${cliVersion}`)
  writeLine(io.stdout, `node ${process.versions.node}`)
  return 0
}
