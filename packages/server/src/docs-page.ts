/**
 * A self-contained page (no CDN, no build) that browses /api/openapi.json: tags, routes, parameters and
 * request/response schemas. Everything from the document is inserted as text, never as HTML.
 */
export function docsPage(title: string, documentUrl: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — API</title>
<style>
  :root { color-scheme: light dark; --muted: #6b7280; --line: #d1d5db; --accent: #2563eb; }
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 70rem; padding: 1.5rem; }
  h1 { margin: 0 0 .25rem; } h2 { margin-top: 2rem; border-bottom: 1px solid var(--line); }
  .muted { color: var(--muted); }
  details { border: 1px solid var(--line); border-radius: 6px; margin: .5rem 0; padding: .25rem .75rem; }
  summary { cursor: pointer; font-family: ui-monospace, monospace; }
  .method { display: inline-block; min-width: 4.5rem; font-weight: 700; color: var(--accent); }
  pre { background: rgba(127,127,127,.12); padding: .5rem; overflow: auto; border-radius: 4px; font-size: 13px; }
  table { border-collapse: collapse; } td, th { text-align: left; padding: .2rem .6rem; border-bottom: 1px solid var(--line); }
  input { font: inherit; padding: .3rem .5rem; width: 20rem; max-width: 100%; }
</style>
</head>
<body>
<h1 id="title">${escapeHtml(title)} API</h1>
<p class="muted">Generated from <a href="${escapeHtml(documentUrl)}">${escapeHtml(documentUrl)}</a> (OpenAPI 3.1).
Every failure answers <code>{"error": {"code", "message", "details"?, "requestId"}}</code>.</p>
<p><input id="filter" type="search" placeholder="Filter routes (path, summary, tag)" aria-label="Filter routes"></p>
<main id="routes"><p class="muted">Loading…</p></main>
<script>
"use strict";
const el = (tag, props = {}, children = []) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "text") node.textContent = value; else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
};
const json = (value) => el("pre", { text: JSON.stringify(value, null, 2) });

function operationView(method, path, operation) {
  const body = [];
  if (operation.description) body.push(el("p", { text: operation.description }));
  if (operation.parameters && operation.parameters.length) {
    const rows = operation.parameters.map((p) => el("tr", {}, [
      el("td", {}, [el("code", { text: p.name })]), el("td", { text: p.in }),
      el("td", { text: p.required ? "required" : "optional" }),
      el("td", {}, [el("code", { text: JSON.stringify(p.schema) })]), el("td", { text: p.description || "" }),
    ]));
    body.push(el("h4", { text: "Parameters" }), el("table", {}, rows));
  }
  if (operation.requestBody) {
    body.push(el("h4", { text: "Request body" }));
    for (const [type, media] of Object.entries(operation.requestBody.content || {})) {
      body.push(el("div", {}, [el("code", { text: type })]), json(media.schema));
    }
  }
  body.push(el("h4", { text: "Responses" }));
  for (const [status, response] of Object.entries(operation.responses || {})) {
    body.push(el("div", {}, [el("strong", { text: status + " " }), el("span", { text: response.description || "" })]));
    for (const [type, media] of Object.entries(response.content || {})) {
      body.push(el("div", {}, [el("code", { text: type })]), json(media.schema));
    }
  }
  const summary = el("summary", {}, [el("span", { class: "method", text: method.toUpperCase() }),
    el("span", { text: path + "  " }), el("span", { class: "muted", text: operation.summary || "" })]);
  const details = el("details", {}, [summary, ...body]);
  details.dataset.search = (method + " " + path + " " + (operation.summary || "") + " " + (operation.tags || []).join(" ")).toLowerCase();
  return details;
}

function render(document_) {
  const main = document.getElementById("routes");
  main.replaceChildren();
  const byTag = new Map((document_.tags || []).map((tag) => [tag.name, { tag, items: [] }]));
  for (const [path, operations] of Object.entries(document_.paths || {})) {
    for (const [method, operation] of Object.entries(operations)) {
      const tagName = (operation.tags && operation.tags[0]) || "other";
      if (!byTag.has(tagName)) byTag.set(tagName, { tag: { name: tagName }, items: [] });
      byTag.get(tagName).items.push(operationView(method, path, operation));
    }
  }
  for (const { tag, items } of byTag.values()) {
    if (!items.length) continue;
    const section = el("section", {}, [el("h2", { text: tag.name }), tag.description ? el("p", { class: "muted", text: tag.description }) : null, ...items]);
    main.append(section);
  }
  const components = document_.components && document_.components.schemas;
  if (components) main.append(el("h2", { text: "Schemas" }), ...Object.entries(components).map(([name, schema]) =>
    el("details", {}, [el("summary", { text: name }), json(schema)])));
}

document.getElementById("filter").addEventListener("input", (event) => {
  const needle = event.target.value.toLowerCase();
  for (const node of document.querySelectorAll("details[data-search]")) node.hidden = !node.dataset.search.includes(needle);
});

fetch(${JSON.stringify(documentUrl)}).then((response) => {
  if (!response.ok) throw new Error("HTTP " + response.status);
  return response.json();
}).then((document_) => {
  document.getElementById("title").textContent = document_.info.title + " " + document_.info.version;
  render(document_);
}).catch((error) => {
  document.getElementById("routes").replaceChildren(el("p", { text: "Could not load the API document: " + error.message }));
});
</script>
</body>
</html>
`
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}
