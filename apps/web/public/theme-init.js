// Applies the stored (or the system's) theme before the first paint, so the page does not flash.
try {
  const theme = localStorage.getItem("xionimus.theme")
  const dark = theme === "dark" || (theme !== "light" && matchMedia("(prefers-color-scheme: dark)").matches)
  document.documentElement.classList.toggle("dark", dark)
} catch {}
