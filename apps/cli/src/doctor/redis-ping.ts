import { connect as connectTcp, type Socket } from "node:net"
import { connect as connectTls } from "node:tls"
import { redactSecret } from "@xionimus/config"
import { AppError } from "@xionimus/kit"

function command(...parts: string[]): string {
  return `*${parts.length}\r\n${parts.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join("")}`
}

/**
 * Sends AUTH (when the URL has a password) and PING to a Redis server and waits for PONG. A few lines
 * of RESP instead of a Redis client, because the CLI only needs to know that the server answers.
 */
export function pingRedis(url: string, timeoutMs = 5000): Promise<void> {
  const target = new URL(url)
  const host = target.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1"
  const port = Number(target.port || 6379)
  const password = decodeURIComponent(target.password)
  const username = decodeURIComponent(target.username)
  const requests = password
    ? [username ? command("AUTH", username, password) : command("AUTH", password)]
    : []
  requests.push(command("PING"))
  const fail = (reason: string) =>
    new AppError("BUS_UNREACHABLE", `Redis at ${redactSecret(url)} did not answer: ${reason}`)

  return new Promise<void>((resolve, reject) => {
    const socket: Socket =
      target.protocol === "rediss:"
        ? connectTls({ host, port, servername: host })
        : connectTcp({ host, port })
    let buffer = ""
    let answered = 0
    let settled = false
    const finish = (error?: AppError) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      if (error) reject(error)
      else resolve()
    }
    const timer = setTimeout(() => finish(fail(`no answer within ${timeoutMs / 1000} s`)), timeoutMs)
    socket.setEncoding("utf8")
    socket.once(target.protocol === "rediss:" ? "secureConnect" : "connect", () =>
      socket.write(requests.join("")),
    )
    socket.on("data", (chunk: string) => {
      buffer += chunk
      let end = buffer.indexOf("\r\n")
      while (end >= 0) {
        const line = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        if (line.startsWith("-")) return finish(fail(line.slice(1)))
        answered++
        if (answered === requests.length)
          return finish(line === "+PONG" ? undefined : fail(`unexpected ${line}`))
        end = buffer.indexOf("\r\n")
      }
    })
    socket.on("error", (error) => finish(fail(error.message)))
    socket.on("close", () => finish(fail("the connection closed")))
  })
}
