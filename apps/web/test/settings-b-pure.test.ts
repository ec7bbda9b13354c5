import assert from "node:assert/strict"
import { test } from "node:test"
import { parseRoute, routeHref } from "../src/lib/router.ts"
import { describeDevice } from "../src/stores/settings-profile-device.ts"
import { passwordProblems, passwordStrength } from "../src/stores/settings-profile-password.ts"
import { encodeQr } from "../src/stores/settings-profile-qr.ts"

test("the password hint follows the server's rules", () => {
  assert.deepEqual(passwordProblems("short"), ["short"])
  assert.deepEqual(passwordProblems("aaaaaaaaaaaaaaaa"), ["repetitive"])
  assert.deepEqual(passwordProblems("abcdefghijklmn"), ["predictable"])
  assert.deepEqual(passwordProblems("my name is maria and more", "maria@example.test"), ["email"])
  assert.deepEqual(passwordProblems("correct horse battery staple", "owner@example.test"), [])
  assert.equal(passwordStrength("short"), 0)
  assert.equal(passwordStrength("lowercaseonly"), 1)
  assert.equal(passwordStrength("Lowercase-and1"), 2)
  assert.equal(passwordStrength("correct horse battery staple"), 3)
})

test("devices are named from the user agent", () => {
  assert.equal(
    describeDevice(
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36",
    ),
    "Chrome · Linux",
  )
  assert.equal(
    describeDevice(
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1",
    ),
    "Safari · iOS",
  )
  assert.equal(
    describeDevice("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:130.0) Gecko/20100101 Firefox/130.0"),
    "Firefox · Windows",
  )
  assert.equal(describeDevice("curl/8.5.0"), "curl")
  assert.equal(describeDevice("something else"), null)
  assert.equal(describeDevice(null), null)
})

test("invitation links: the server's form and the short one", () => {
  assert.deepEqual(parseRoute("#/invitation?token=abc%2Fdef_GH-1"), {
    name: "invitation",
    token: "abc/def_GH-1",
  })
  assert.deepEqual(parseRoute("#/invite/abc_DEF"), { name: "invitation", token: "abc_DEF" })
  assert.deepEqual(parseRoute("#/invitation"), { name: "projects" })
  const route = { name: "invitation", token: "x/y=z" } as const
  assert.deepEqual(parseRoute(routeHref(route)), route)
})

test("the QR encoder draws the same modules as the qrcode package, for every mask and several versions", async () => {
  // qrcode is in the tree as a dependency of @xionimus/auth; here it only checks our encoder.
  const { default: QRCode } = (await import("qrcode")) as unknown as {
    default: {
      create(
        segments: { data: string; mode: "byte" }[],
        options: { errorCorrectionLevel: "M"; maskPattern?: number; version?: number },
      ): {
        maskPattern: number
        version: number
        modules: { size: number; get(row: number, column: number): number }
      }
    }
  }
  const texts = [
    "hi",
    "otpauth://totp/Xionimus:owner%40example.test?issuer=Xionimus&secret=IQT5VO4H3H36SCBQ3YIKENEAMF46KWP5&algorithm=SHA1&digits=6&period=30",
    "ü€".repeat(90),
    "x".repeat(1200),
  ]
  const versions = new Set<number>()
  for (const text of texts) {
    for (let mask = 0; mask < 8; mask++) {
      const mine = encodeQr(text, { mask })
      versions.add(mine.version)
      const theirs = QRCode.create([{ data: text, mode: "byte" }], {
        errorCorrectionLevel: "M",
        maskPattern: mask,
        version: mine.version,
      })
      assert.equal(mine.size, theirs.modules.size)
      for (let y = 0; y < mine.size; y++) {
        for (let x = 0; x < mine.size; x++) {
          assert.equal(
            mine.modules[y]![x],
            theirs.modules.get(y, x) === 1,
            `${text.length} chars, mask ${mask}, ${x},${y}`,
          )
        }
      }
    }
  }
  assert.ok(versions.size >= 4, `versions ${[...versions]}`)
  const automatic = encodeQr(texts[1]!)
  assert.equal(
    automatic.version,
    QRCode.create([{ data: texts[1]!, mode: "byte" }], { errorCorrectionLevel: "M" }).version,
  )
  assert.throws(() => encodeQr("x".repeat(3000)), /too long/)
})
