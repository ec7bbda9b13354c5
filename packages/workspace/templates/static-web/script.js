/** The greeting shown for a name (the world when it is blank). */
export function greeting(name) {
  const trimmed = String(name).trim()
  return `Hello, ${trimmed || "world"}.`
}

// Runs in the browser only; the tests import greeting() under Node, where there is no document.
if (typeof document !== "undefined") {
  document.getElementById("name-form")?.addEventListener("submit", (event) => {
    event.preventDefault()
    const name = new FormData(event.currentTarget).get("name") ?? ""
    document.getElementById("greeting").textContent = greeting(name)
  })
}
