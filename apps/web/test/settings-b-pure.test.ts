import assert from "node:assert/strict"
import { test } from "node:test"
import { parseRoute, routeHref } from "../src/lib/router.ts"
import { describeDevice } from "../src/stores/settings-profile-device.ts"
import { passwordProblems, passwordStrength } from "../src/stores/settings-profile-password.ts"

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
