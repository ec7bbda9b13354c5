// The app shell's service worker (registered by src/main.tsx in production builds only).
// - /assets/* (Vite fingerprints them, so a name never changes content): cache first.
// - Page loads: network first; the cached index.html only when the network fails (offline start).
// - Other files of the shell (icons, manifest, theme script): cached, refreshed in the background.
// - /api, /healthz, /metrics and anything not GET or not same-origin: never touched, never cached.
const shellCache = "xionimus-shell-v1"
const assetCache = "xionimus-assets-v1"
const keep = new Set([shellCache, assetCache])

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(shellCache)
      .then((cache) => cache.addAll(["/", "/theme-init.js", "/favicon.svg", "/manifest.webmanifest"]))
      .then(() => self.skipWaiting()),
  )
})

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((name) => !keep.has(name)).map((name) => caches.delete(name))),
      )
      .then(() => self.clients.claim()),
  )
})

function bypass(request, url) {
  return (
    request.method !== "GET" ||
    url.origin !== self.location.origin ||
    url.pathname === "/api" ||
    url.pathname.startsWith("/api/") ||
    url.pathname === "/healthz" ||
    url.pathname === "/metrics" ||
    url.pathname === "/sw.js"
  )
}

async function cacheFirst(request) {
  const cached = await caches.match(request)
  if (cached) return cached
  const response = await fetch(request)
  if (response.ok) {
    const copy = response.clone()
    caches.open(assetCache).then((cache) => cache.put(request, copy))
  }
  return response
}

async function networkFirstPage(request) {
  try {
    const response = await fetch(request)
    if (response.ok && (response.headers.get("content-type") ?? "").includes("text/html")) {
      const copy = response.clone()
      caches.open(shellCache).then((cache) => cache.put("/", copy))
    }
    return response
  } catch (error) {
    const cached = await caches.match("/")
    if (cached) return cached
    throw error
  }
}

async function staleWhileRevalidate(request) {
  const cached = await caches.match(request)
  const fresh = fetch(request).then((response) => {
    if (response.ok) {
      const copy = response.clone()
      caches.open(shellCache).then((cache) => cache.put(request, copy))
    }
    return response
  })
  if (!cached) return fresh
  // A failed background refresh leaves the cached copy in place; the next load tries again.
  fresh.catch(() => undefined)
  return cached
}

self.addEventListener("fetch", (event) => {
  const { request } = event
  const url = new URL(request.url)
  if (bypass(request, url)) return
  if (request.mode === "navigate") event.respondWith(networkFirstPage(request))
  else if (url.pathname.startsWith("/assets/")) event.respondWith(cacheFirst(request))
  else event.respondWith(staleWhileRevalidate(request))
})
