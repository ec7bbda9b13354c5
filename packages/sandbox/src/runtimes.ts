import { posix } from "node:path"
import type { ExecCommand, Sandbox } from "./types.ts"

/** A toolchain found inside the sandbox. */
export interface Runtime {
  name: string
  /** Absolute path inside the sandbox. */
  path: string
  /** First line of its version output. */
  version: string
}

/** Toolchains we look for, with the command that prints each one's version. */
const probes: readonly (readonly [string, string])[] = [
  ["bash", "bash --version"],
  ["sh", "echo posix"],
  ["python3", "python3 --version"],
  ["node", "node --version"],
  ["gcc", "gcc --version"],
  ["g++", "g++ --version"],
  ["java", "java -version 2>&1"],
  ["go", "go version"],
  ["rustc", "rustc --version"],
  ["cargo", "cargo --version"],
  ["ruby", "ruby --version"],
  ["perl", "perl -e 'print $^V'"],
  ["php", "php --version"],
  ["git", "git --version"],
  ["make", "make --version"],
]

/** The toolchains the sandbox can run, with versions (one sandboxed run, so what is found is what runs). */
export async function detectRuntimes(sandbox: Sandbox): Promise<Runtime[]> {
  const script = probes
    .map(
      ([name, version]) =>
        `p=$(command -v ${name}) && printf '%s\\t%s\\t%s\\n' '${name}' "$p" "$(${version} 2>/dev/null | head -n 1)"`,
    )
    .join("; ")
  const chunks: Buffer[] = []
  await sandbox.exec({
    command: { shell: `${script}; true` },
    limits: { timeoutMs: 20_000 },
    onOutput: (chunk) => {
      if (chunk.stream === "stdout") chunks.push(chunk.data)
    },
  })
  return Buffer.concat(chunks)
    .toString("utf8")
    .split("\n")
    .filter((line) => line.includes("\t"))
    .map((line) => {
      const [name = "", path = "", version = ""] = line.split("\t")
      return { name, path, version: version.trim() }
    })
}

/**
 * The command that runs one file, chosen by its extension; null for an unknown extension. `path` is relative
 * to /workspace. Compiled languages build into /tmp (the private tmpfs) and run from there.
 */
export function runFileCommand(path: string): ExecCommand | null {
  const file = posix.normalize(path)
  const quoted = `'${file.replaceAll("'", "'\\''")}'`
  switch (posix.extname(file).toLowerCase()) {
    case ".py":
      return { argv: ["python3", file] }
    case ".js":
    case ".mjs":
    case ".cjs":
      return { argv: ["node", file] }
    case ".sh":
      return { argv: ["sh", file] }
    case ".bash":
      return { argv: ["bash", file] }
    case ".rb":
      return { argv: ["ruby", file] }
    case ".pl":
      return { argv: ["perl", file] }
    case ".php":
      return { argv: ["php", file] }
    case ".java":
      return { argv: ["java", file] } // single-file source launch (Java 11+)
    case ".go":
      return { shell: `GOCACHE=/tmp/go-cache go run ${quoted}` }
    case ".c":
      return { shell: `gcc -O1 -o /tmp/a.out ${quoted} && /tmp/a.out` }
    case ".cc":
    case ".cpp":
    case ".cxx":
      return { shell: `g++ -O1 -o /tmp/a.out ${quoted} && /tmp/a.out` }
    case ".rs":
      return { shell: `rustc -o /tmp/a.out ${quoted} && /tmp/a.out` }
    default:
      return null
  }
}
