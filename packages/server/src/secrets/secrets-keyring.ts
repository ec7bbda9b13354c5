import { createHash, randomBytes } from "node:crypto"
import { readFileSync, renameSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { AppError } from "@xionimus/kit"

/** One key of the keyring; `retireAt` is when a replaced key stops being used for decryption. */
export interface KeyringKey {
  id: string
  key: Buffer
  createdAt: string
  retireAt: string | null
}

export interface Keyring {
  /** The key new ciphertexts are sealed with. */
  current: KeyringKey
  /** Every key that may still open a ciphertext (current first). */
  keys: KeyringKey[]
}

/** <dataDir>/secret-keys.json, mode 0600. Written only by `xionimus secrets rotate`. */
interface KeyringFile {
  version: 1
  current: string
  keys: { id: string; key: string; createdAt: string; retireAt: string | null }[]
  /** Ids of keys dropped after their grace period (the configured `secretsKey` among them, once replaced). */
  retired: string[]
}

export const keyringFileName = "secret-keys.json"

/** A key's id: the first 12 hex characters of its SHA-256 (it names the key without revealing it). */
export function keyIdOf(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 12)
}

function decode(text: string, source: string): Buffer {
  const key = Buffer.from(text.trim(), "base64")
  if (key.length !== 32)
    throw new AppError(
      "SECRETS_KEY_INVALID",
      `${source} must hold base64 of 32 random bytes (for instance: openssl rand -base64 32).`,
      { source },
    )
  return key
}

/**
 * The key before any rotation: `secretsKey` from the config, else <dataDir>/secret.key (created with mode
 * 0600 on first use, exclusively, so two nodes starting at once cannot write two different keys).
 */
export function legacyKey(configured: string | undefined, dataDir: string): Buffer {
  if (configured !== undefined) return decode(configured, "secretsKey")
  const path = join(dataDir, "secret.key")
  try {
    writeFileSync(path, `${randomBytes(32).toString("base64")}\n`, { flag: "wx", mode: 0o600 })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error
  }
  return decode(readFileSync(path, "utf8"), path)
}

function readKeyringFile(dataDir: string): KeyringFile | undefined {
  const path = join(dataDir, keyringFileName)
  let text: string
  try {
    text = readFileSync(path, "utf8")
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined
    throw error
  }
  try {
    return JSON.parse(text) as KeyringFile
  } catch (error) {
    throw new AppError(
      "SECRETS_KEY_INVALID",
      `${path} is not valid JSON; restore it from a backup.`,
      { path },
      { cause: error },
    )
  }
}

/** The modification time of the keyring file (0 without one): a running server re-reads it when it changes. */
export function keyringVersion(dataDir: string): number {
  try {
    return statSync(join(dataDir, keyringFileName)).mtimeMs
  } catch {
    return 0
  }
}

/**
 * The keys in force at `now`: the keyring file's (keys past their retireAt left out), plus the configured
 * or generated key unless it was retired. Without a keyring file that one key is current.
 */
export function loadKeyring(configured: string | undefined, dataDir: string, now = new Date()): Keyring {
  const base = legacyKey(configured, dataDir)
  const legacy: KeyringKey = { id: keyIdOf(base), key: base, createdAt: "", retireAt: null }
  const file = readKeyringFile(dataDir)
  if (!file) return { current: legacy, keys: [legacy] }
  const live = file.keys
    .filter((entry) => entry.retireAt === null || entry.retireAt > now.toISOString())
    .map((entry) => ({ ...entry, key: decode(entry.key, `${keyringFileName} key ${entry.id}`) }))
  // The configured (or generated) key counts until a rotation took it into the file (then the file decides).
  if (!file.retired.includes(legacy.id) && !file.keys.some((entry) => entry.id === legacy.id))
    live.push(legacy)
  const current = live.find((entry) => entry.id === file.current)
  if (!current)
    throw new AppError(
      "SECRETS_KEY_INVALID",
      `The keyring's current key ${file.current} is missing from ${keyringFileName}; restore it from a backup.`,
    )
  return { current, keys: [current, ...live.filter((entry) => entry !== current)] }
}

/**
 * Makes a new random key current. Every other key in force retires at `now + graceMs` (an earlier
 * retirement stays); keys past their retirement are dropped from the file. Written atomically (temp + rename).
 */
export function rotateKeyring(
  configured: string | undefined,
  dataDir: string,
  graceMs: number,
  now = new Date(),
): { current: KeyringKey; retiring: KeyringKey[]; dropped: string[] } {
  const before = loadKeyring(configured, dataDir, now)
  const file = readKeyringFile(dataDir) ?? { version: 1, current: before.current.id, keys: [], retired: [] }
  const retireAt = new Date(now.getTime() + graceMs).toISOString()
  const retiring = before.keys.map((entry) => ({
    ...entry,
    retireAt: entry.retireAt && entry.retireAt < retireAt ? entry.retireAt : retireAt,
  }))
  const fresh = randomBytes(32)
  const current: KeyringKey = { id: keyIdOf(fresh), key: fresh, createdAt: now.toISOString(), retireAt: null }
  const inForce = new Set(before.keys.map((entry) => entry.id))
  const dropped = file.keys.filter((entry) => !inForce.has(entry.id)).map((entry) => entry.id)
  const next: KeyringFile = {
    version: 1,
    current: current.id,
    keys: [current, ...retiring].map((entry) => ({
      id: entry.id,
      key: entry.key.toString("base64"),
      createdAt: entry.createdAt || now.toISOString(),
      retireAt: entry.retireAt,
    })),
    retired: [...new Set([...file.retired, ...dropped])],
  }
  const path = join(dataDir, keyringFileName)
  const temp = `${path}.${process.pid}.tmp`
  writeFileSync(temp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 })
  renameSync(temp, path)
  return { current, retiring, dropped }
}
