import assert from "node:assert/strict"
import { test } from "node:test"
import { AppError, isAppError } from "@xionimus/kit"
import type { ModelMessage, UserContentPart } from "@xionimus/llm"
import { reduceSession, type StoredEvent } from "@xionimus/protocol"
import {
  imageMediaType,
  loadAttachedImages,
  maxImageBytes,
  maxImagesPerCall,
} from "../src/attached-images.ts"
import { createAgentFixture, projectId } from "./agent-fixture.ts"

// A 1×1 PNG, the start of a JPEG, a GIF and a WebP header: the content decides, never the name.
const png = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
)
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46])
const gif = Buffer.from("GIF89a\x01\x00\x01\x00", "latin1")
const webp = Buffer.concat([Buffer.from("RIFF"), Buffer.alloc(4), Buffer.from("WEBPVP8 ")])

const userParts = (messages: ModelMessage[]) =>
  messages.flatMap((message) => (message.role === "user" ? [message.content] : []))

test("the image format comes from the first bytes", () => {
  assert.equal(imageMediaType(png), "image/png")
  assert.equal(imageMediaType(jpeg), "image/jpeg")
  assert.equal(imageMediaType(gif), "image/gif")
  assert.equal(imageMediaType(webp), "image/webp")
  assert.equal(imageMediaType(Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>")), undefined)
  assert.equal(imageMediaType(Buffer.from("not an image at all")), undefined)
  assert.equal(imageMediaType(new Uint8Array()), undefined)
})

test("a vision model gets attached images as images, named by path; other files stay paths", async (t) => {
  await using fixture = await createAgentFixture(t, { vision: true, turns: [{ text: "A red dot." }] })
  await fixture.files.write(".xionimus/attachments/a/dot.png", png)
  // Named like an image, but text: sent as a path only.
  await fixture.files.write(".xionimus/attachments/a/fake.png", Buffer.from("just text"))
  await fixture.files.write(".xionimus/attachments/a/notes.txt", Buffer.from("notes"))
  const session = await fixture.engine.create({ projectId, createdBy: null })
  await fixture.engine.send(session.id, {
    text: "What is in the picture?",
    attachments: [
      ".xionimus/attachments/a/dot.png",
      ".xionimus/attachments/a/fake.png",
      "./.xionimus/attachments/a/notes.txt",
    ],
    authorId: null,
  })
  await fixture.engine.idle(session.id)

  const [content] = userParts(fixture.model.requests[0]!.messages)
  assert.ok(Array.isArray(content), "the user message has parts")
  const parts = content as UserContentPart[]
  assert.deepEqual(
    parts.map((part) => part.type),
    ["text", "text", "image"],
  )
  const [text, label, image] = parts as [
    { text: string },
    { text: string },
    Extract<UserContentPart, { type: "image" }>,
  ]
  assert.equal(
    text.text,
    "What is in the picture?\n\nAttached files (in the project):\n" +
      "- `.xionimus/attachments/a/dot.png`\n- `.xionimus/attachments/a/fake.png`\n- `.xionimus/attachments/a/notes.txt`",
  )
  assert.equal(label.text, "Image `.xionimus/attachments/a/dot.png`:")
  assert.equal(image.mediaType, "image/png")
  assert.deepEqual(Buffer.from(image.image as Uint8Array), png)

  // The log keeps the paths (as the workspace names them), not the bytes.
  const state = reduceSession(await fixture.events(session.id))
  const sent = state.messages[0]!
  assert.equal(sent.role, "user")
  assert.deepEqual(sent.role === "user" ? sent.attachments : undefined, [
    ".xionimus/attachments/a/dot.png",
    ".xionimus/attachments/a/fake.png",
    ".xionimus/attachments/a/notes.txt",
  ])
})

test("a model without vision gets the paths only", async (t) => {
  await using fixture = await createAgentFixture(t, { turns: [{ text: "I cannot see it." }] })
  await fixture.files.write("shot.png", png)
  const session = await fixture.engine.create({ projectId, createdBy: null })
  await fixture.engine.send(session.id, { text: "Look", attachments: ["shot.png"], authorId: null })
  await fixture.engine.idle(session.id)
  assert.deepEqual(userParts(fixture.model.requests[0]!.messages), [
    "Look\n\nAttached files (in the project):\n- `shot.png`",
  ])
})

test(`only the newest ${maxImagesPerCall} images go with a call`, async (t) => {
  const turns = Array.from({ length: maxImagesPerCall + 1 }, (_, index) => ({ text: `Seen ${index}.` }))
  await using fixture = await createAgentFixture(t, { vision: true, turns })
  const session = await fixture.engine.create({ projectId, createdBy: null })
  for (let index = 0; index < maxImagesPerCall + 1; index++) {
    await fixture.files.write(`shots/${index}.png`, png)
    await fixture.engine.send(session.id, {
      text: `Shot ${index}`,
      attachments: [`shots/${index}.png`],
      authorId: null,
    })
    await fixture.engine.idle(session.id)
  }
  const last = fixture.model.requests.at(-1)!.messages
  const withImages = userParts(last).map((content) => Array.isArray(content))
  assert.deepEqual(withImages, [false, ...Array.from({ length: maxImagesPerCall }, () => true)])
})

test(`an image over ${maxImageBytes} bytes, or gone since it was sent, stays a path; each is read once`, async () => {
  const state = reduceSession([
    event(1, "session.created", { projectId }),
    event(2, "message.created", {
      messageId: "msg_1",
      role: "user",
      text: "three shots",
      attachments: ["big.png", "gone.png", "ok.png"],
    }),
  ])
  const reads: string[] = []
  const files = {
    async stat(path: string) {
      if (path === "gone.png") throw new AppError("FILE_NOT_FOUND", "gone")
      const size = path === "big.png" ? maxImageBytes + 1 : png.length
      return { path, name: path, type: "file" as const, size, modifiedAt: "", version: "1" }
    },
    async read(path: string) {
      reads.push(path)
      return { entry: await this.stat(path), content: png }
    },
  }
  const cache = new Map()
  const first = await loadAttachedImages(state, files, cache)
  assert.deepEqual(
    first.get("msg_1")?.map((image) => image.path),
    ["ok.png"],
  )
  await loadAttachedImages(state, files, cache)
  assert.deepEqual(reads, ["ok.png"], "read once per turn, the oversized one never")
})

function event(seq: number, type: string, data: unknown): StoredEvent {
  return { id: `evt_${seq}`, stream: "ses_1", seq, type, data, time: "2026-12-04T00:00:00.000Z" }
}

test("an attachment must be a file of the project: FILE_NOT_FOUND, NOT_A_FILE, PATH_INVALID", async (t) => {
  await using fixture = await createAgentFixture(t, { files: { "docs/readme.md": "hi" } })
  const session = await fixture.engine.create({ projectId, createdBy: null })
  const send = (path: string) =>
    fixture.engine.send(session.id, { text: "see", attachments: [path], authorId: null })
  for (const [path, code] of [
    ["missing.png", "FILE_NOT_FOUND"],
    ["docs", "NOT_A_FILE"],
    ["../outside.png", "PATH_INVALID"],
  ] as const) {
    await assert.rejects(send(path), (error) => {
      assert.ok(isAppError(error))
      assert.equal(error.code, code, path)
      return true
    })
  }
  await assert.rejects(send("missing.png"), /Upload it, then send the message again/)
  assert.equal((await fixture.events(session.id)).length, 1, "nothing but session.created was written")
})
