import assert from "node:assert/strict"
import { test } from "node:test"
import { de } from "../src/i18n/de.ts"
import { en } from "../src/i18n/en.ts"
import { pickLocale, translate } from "../src/i18n/translate.ts"
import { ancestorsOf, isImagePath, parentOf } from "../src/lib/file-kind.ts"
import { formatBytes } from "../src/lib/format.ts"
import { parseRoute, type Route, routeHref } from "../src/lib/router.ts"

test("routes survive a round trip through the URL hash, odd file names included", () => {
  const routes: Route[] = [
    { name: "projects" },
    { name: "trash" },
    { name: "project", projectId: "prj_0190b6f3a2c10aJ9xQ2mP7vLab", path: null },
    { name: "project", projectId: "prj_0190b6f3a2c10aJ9xQ2mP7vLab", path: "src/a b/#1 ü?.ts" },
    { name: "sessions", projectId: "prj_0190b6f3a2c10aJ9xQ2mP7vLab", sessionId: null },
    { name: "sessions", projectId: "prj_0190b6f3a2c10aJ9xQ2mP7vLab", sessionId: "ses_01a2xyz" },
    { name: "shared", token: "abc_DEF-123/=" },
  ]
  for (const route of routes) assert.deepEqual(parseRoute(routeHref(route)), route)
  assert.deepEqual(parseRoute(""), { name: "projects" })
  assert.deepEqual(parseRoute("#/nonsense"), { name: "projects" })
})

test("translate fills parameters, picks the singular for a count of 1, and keeps unknown ones", () => {
  assert.equal(translate("en", "projects.deleted", { name: "Atlas" }), "“Atlas” was moved to the trash.")
  assert.equal(translate("de", "file.lines", { count: 3 }), "3 Zeilen")
  assert.equal(translate("de", "file.lines", { count: 1 }), "1 Zeile")
  assert.equal(translate("en", "project.uploaded", { count: 1, dir: "/src" }), "Uploaded 1 file to /src.")
  assert.equal(translate("en", "projects.updated"), "Updated {time}")
})

test("both dictionaries have the same keys and the same parameters", () => {
  assert.deepEqual(Object.keys(de).sort(), Object.keys(en).sort())
  const parameters = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort()
  for (const key of Object.keys(en) as (keyof typeof en)[]) {
    assert.deepEqual(parameters(de[key]), parameters(en[key]), key)
  }
})

test("the language comes from the browser's list, English otherwise", () => {
  assert.equal(pickLocale(["de-AT", "en"]), "de")
  assert.equal(pickLocale(["fr-FR", "en-GB"]), "en")
  assert.equal(pickLocale(["fr"]), "en")
  assert.equal(pickLocale([]), "en")
})

test("path helpers", () => {
  assert.equal(parentOf("a/b/c.txt"), "a/b")
  assert.equal(parentOf("c.txt"), "")
  assert.deepEqual(ancestorsOf("a/b/c.txt"), ["", "a", "a/b"])
  assert.ok(isImagePath("logo.SVG"))
  assert.ok(!isImagePath("svg.txt"))
  assert.equal(formatBytes(1536, "en"), "1.5 KB")
  assert.equal(formatBytes(12, "de"), "12 B")
})
