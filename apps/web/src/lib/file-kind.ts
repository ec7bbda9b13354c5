const imageExtensions = new Set(["png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "ico", "bmp"])

/** Files larger than this are not loaded into the viewer; they can still be downloaded. */
export const viewerLimitBytes = 1024 * 1024

export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1)
  const dot = name.lastIndexOf(".")
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : ""
}

export function isImagePath(path: string): boolean {
  return imageExtensions.has(extensionOf(path))
}

/** "src/app/main.ts" → "src/app"; "main.ts" → "". */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf("/")
  return slash === -1 ? "" : path.slice(0, slash)
}

export function nameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1)
}

/** Every ancestor directory of a path, outermost first: "a/b/c.txt" → ["", "a", "a/b"]. */
export function ancestorsOf(path: string): string[] {
  const parts = path.split("/").slice(0, -1)
  return ["", ...parts.map((_, index) => parts.slice(0, index + 1).join("/"))]
}
