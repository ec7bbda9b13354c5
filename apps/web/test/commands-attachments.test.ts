// Attachments: the block a message carries (written and read back), file names, and the store that
// uploads into .xionimus/attachments/ and deletes what is removed.
import assert from "node:assert/strict"
import { test } from "node:test"
import type { ModelInfo, SessionMessage } from "@xionimus/protocol"
import { ApiError, type UploadInput } from "@xionimus/sdk"
import {
  attachmentDirectory,
  attachmentFileName,
  isImagePath,
  messageContent,
  seesImages,
  sessionModel,
  splitAttachments,
} from "../src/lib/message-attachments.ts"
import { createAttachments } from "../src/stores/attachments-store.ts"

test("a message's attachments: its own field, or an older message's block at the end of its text", () => {
  const paths = [
    ".xionimus/attachments/20260101T000000Z-abc/shot.png",
    ".xionimus/attachments/20260101T000000Z-abc/log.txt",
  ]
  assert.deepEqual(messageContent({ text: "Why does this fail?", attachments: paths }), {
    text: "Why does this fail?",
    paths,
  })
  const older =
    "Why does this fail?\n\nAttached files (in the project):\n- `.xionimus/attachments/20260101T000000Z-abc/shot.png`\n- `.xionimus/attachments/20260101T000000Z-abc/log.txt`"
  assert.deepEqual(messageContent({ text: older }), { text: "Why does this fail?", paths })
  const onlyFiles = older.slice(older.indexOf("Attached"))
  assert.deepEqual(splitAttachments(onlyFiles), { text: "", paths })
  assert.deepEqual(messageContent({ text: "plain" }), { text: "plain", paths: [] })
})

test("ordinary text is never mistaken for attachments", () => {
  const quoted = "Attached files (in the project):\n- `/etc/passwd`"
  assert.deepEqual(splitAttachments(quoted), { text: quoted, paths: [] })
  const prose = "Attached files (in the project):\nnothing here"
  assert.deepEqual(splitAttachments(prose), { text: prose, paths: [] })
  assert.deepEqual(splitAttachments("hello"), { text: "hello", paths: [] })
})

test("folders and names of attachments", () => {
  assert.equal(
    attachmentDirectory(new Date("2026-12-04T13:45:06.789Z"), "k3x9"),
    ".xionimus/attachments/20261204T134506Z-k3x9",
  )
  assert.equal(attachmentFileName("C:\\Users\\me\\report.pdf"), "report.pdf")
  assert.equal(attachmentFileName("../../etc/passwd"), "passwd")
  assert.equal(attachmentFileName("a`b\u0007.txt"), "ab.txt")
  assert.equal(attachmentFileName(".."), "file")
  assert.equal(isImagePath("x/Screen.PNG"), true)
  assert.equal(isImagePath("x/notes.md"), false)
})

function fakeClient() {
  const uploads: { projectId: string; path: string | undefined; names: string[] }[] = []
  const removed: string[] = []
  let fail: ApiError | null = null
  return {
    uploads,
    removed,
    failNext(error: ApiError) {
      fail = error
    },
    client: {
      async upload(projectId: string, files: readonly UploadInput[], options: { path?: string } = {}) {
        if (fail) {
          const error = fail
          fail = null
          throw error
        }
        const names = files.map((file) => (file as { path: string }).path)
        uploads.push({ projectId, path: options.path, names })
        return names.map((name) => ({
          path: `${options.path}/${name}`,
          name,
          type: "file" as const,
          size: 1,
          modifiedAt: "2026-01-01T00:00:00.000Z",
          version: "v1",
        }))
      },
      async remove(_projectId: string, path: string) {
        removed.push(path)
      },
    },
  }
}

test("attached files are uploaded at once, named in order, and removed ones are deleted", async () => {
  const fake = fakeClient()
  let count = 0
  const attachments = createAttachments({
    client: fake.client,
    projectId: () => "prj_1",
    now: () => new Date("2026-12-04T13:45:06Z"),
    random: () => `r${++count}`,
  })
  await attachments.add([new File(["png"], "shot.png", { type: "image/png" }), new File(["x"], "notes.txt")])
  assert.deepEqual(
    fake.uploads.map((upload) => `${upload.path}/${upload.names.join(",")}`),
    [
      ".xionimus/attachments/20261204T134506Z-r1/shot.png",
      ".xionimus/attachments/20261204T134506Z-r2/notes.txt",
    ],
  )
  assert.deepEqual(
    attachments.items.get().map((item) => [item.name, item.status, item.image]),
    [
      ["shot.png", "ready", true],
      ["notes.txt", "ready", false],
    ],
  )
  assert.equal(attachments.uploading(), false)
  const [first] = attachments.items.get()
  attachments.remove(first?.id ?? "")
  assert.deepEqual(fake.removed, [".xionimus/attachments/20261204T134506Z-r1/shot.png"])
  assert.deepEqual(attachments.paths(), [".xionimus/attachments/20261204T134506Z-r2/notes.txt"])
  attachments.clear()
  assert.deepEqual(attachments.paths(), [])
})

test("a failed upload shows on its chip and is not sent", async () => {
  const fake = fakeClient()
  const attachments = createAttachments({ client: fake.client, projectId: () => "prj_1" })
  fake.failNext(
    new ApiError("PAYLOAD_TOO_LARGE", "The file is larger than the upload limit.", { status: 413 }),
  )
  await attachments.add([new File(["x"], "big.bin")])
  const [item] = attachments.items.get()
  assert.equal(item?.status, "error")
  assert.equal(item?.error?.code, "PAYLOAD_TOO_LARGE")
  assert.deepEqual(attachments.paths(), [])
})

test("whether the session's model sees images: its own model, else the last answer's, as the catalog says", () => {
  const info = (name: string, vision: boolean) =>
    ({ name, capabilities: { tools: true, vision, reasoning: false } }) as ModelInfo
  const models = [info("openai/gpt-4o", true), info("groq/llama", false)]
  const answered = (model: string) =>
    ({
      role: "assistant",
      id: "msg_a",
      seq: 2,
      turnId: "trn_1",
      model,
      parts: [],
      time: "",
    }) as SessionMessage
  assert.equal(sessionModel({ model: "groq/llama", messages: [answered("openai/gpt-4o")] }), "groq/llama")
  assert.equal(sessionModel({ model: null, messages: [answered("openai/gpt-4o")] }), "openai/gpt-4o")
  assert.equal(sessionModel({ model: null, messages: [] }), undefined)
  assert.equal(seesImages("groq/llama", models), false)
  assert.equal(seesImages("openai/gpt-4o", models), true)
  assert.equal(seesImages("unknown/model", models), undefined)
  assert.equal(seesImages(undefined, models), undefined)
  assert.equal(seesImages("groq/llama", null), undefined)
})
