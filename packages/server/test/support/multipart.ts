/** A multipart/form-data body for app.inject(), serialised by the platform's own FormData encoder. */
export async function multipartPayload(
  parts: { name: string; value: string | Uint8Array; filename?: string }[],
): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData()
  for (const part of parts) {
    if (typeof part.value === "string" && part.filename === undefined) form.append(part.name, part.value)
    else form.append(part.name, new Blob([part.value]), part.filename ?? "file")
  }
  const request = new Request("http://localhost/", { method: "POST", body: form })
  return {
    payload: Buffer.from(await request.arrayBuffer()),
    headers: { "content-type": request.headers.get("content-type")! },
  }
}
