import { randomBytes } from "node:crypto"
import { readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { AppError } from "@xionimus/kit"

/**
 * The key encrypting stored secrets: `secretsKey` from the config (base64 of 32 bytes), else
 * <dataDir>/secret.key, created with mode 0600 on first use (exclusively, so two nodes starting at
 * once cannot write two different keys).
 */
export async function loadSecretsKey(configured: string | undefined, dataDir: string): Promise<Buffer> {
  if (configured !== undefined) return decode(configured, "secretsKey")
  const path = join(dataDir, "secret.key")
  try {
    await writeFile(path, `${randomBytes(32).toString("base64")}\n`, { flag: "wx", mode: 0o600 })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error
  }
  return decode((await readFile(path, "utf8")).trim(), path)
}

function decode(text: string, source: string): Buffer {
  const key = Buffer.from(text, "base64")
  if (key.length !== 32)
    throw new AppError(
      "SECRETS_KEY_INVALID",
      `${source} must hold base64 of 32 random bytes (for instance: openssl rand -base64 32).`,
      { source },
    )
  return key
}
