import assert from "node:assert/strict"
import { createServer, type Socket } from "node:net"
import { test } from "node:test"
import { AppError } from "@xionimus/kit"
import { pingRedis } from "../src/doctor/redis-ping.ts"

/** A TCP server on port 0 that records what it receives and answers each chunk with `reply`. */
async function fakeRedis(context: test.TestContext, reply: (received: string) => string | undefined) {
  const sockets = new Set<Socket>()
  let received = ""
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on("data", (chunk) => {
      received += chunk.toString()
      const answer = reply(received)
      if (answer !== undefined) socket.write(answer)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  context.after(() => {
    for (const socket of sockets) socket.destroy()
    return new Promise((resolve) => server.close(resolve))
  })
  const { port } = server.address() as { port: number }
  return { port, received: () => received }
}

test("the real Redis at 127.0.0.1:6379 answers PING", async () => {
  await pingRedis("redis://127.0.0.1:6379")
})

test("AUTH is sent before PING when the URL has a password", async (context) => {
  const fake = await fakeRedis(context, (received) =>
    received.includes("PING") ? "+OK\r\n+PONG\r\n" : undefined,
  )
  await pingRedis(`redis://agent:p%40ss@127.0.0.1:${fake.port}`)
  assert.equal(fake.received(), "*3\r\n$4\r\nAUTH\r\n$5\r\nagent\r\n$4\r\np@ss\r\n*1\r\n$4\r\nPING\r\n")
})

test("an error reply rejects with BUS_UNREACHABLE and the server's words, password hidden", async (context) => {
  const fake = await fakeRedis(context, () => "-WRONGPASS invalid username-password pair\r\n")
  const error = await pingRedis(`redis://:secret@127.0.0.1:${fake.port}`).catch((caught: unknown) => caught)
  assert.ok(error instanceof AppError)
  assert.equal(error.code, "BUS_UNREACHABLE")
  assert.match(error.message, /WRONGPASS/)
  assert.ok(!error.message.includes("secret"))
})

test("a server that never answers times out", async (context) => {
  const fake = await fakeRedis(context, () => undefined)
  await assert.rejects(pingRedis(`redis://127.0.0.1:${fake.port}`, 200), /no answer within 0.2 s/)
})
