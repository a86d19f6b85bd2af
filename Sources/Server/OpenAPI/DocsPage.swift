/// `GET /docs`: one self-contained HTML page (no CDN, no external files, so it works offline) that reads
/// `/openapi.json`, lists the endpoints by tag with their parameters, and sends requests from the
/// browser with the API key typed in (kept in the browser's localStorage), showing streamed answers as
/// they arrive.
enum DocsPage {
    static let html = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Swiftlet API</title>
    <style>
    :root { --fg: #1d1d1f; --muted: #6e6e73; --line: #d2d2d7; --bg: #fbfbfd; --accent: #0a64d8; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
    header { display: flex; gap: 16px; align-items: center; padding: 12px 20px; border-bottom: 1px solid var(--line); background: #fff; position: sticky; top: 0; z-index: 1; }
    header h1 { font-size: 18px; margin: 0; }
    header label { margin-left: auto; color: var(--muted); }
    header input { width: 260px; padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px; font: inherit; }
    main { display: grid; grid-template-columns: 260px 1fr; min-height: calc(100vh - 56px); }
    nav { border-right: 1px solid var(--line); padding: 12px; overflow-y: auto; }
    nav h2 { font-size: 12px; text-transform: uppercase; color: var(--muted); margin: 14px 0 4px; }
    nav a { display: block; padding: 3px 6px; border-radius: 5px; color: var(--fg); text-decoration: none; font-family: ui-monospace, monospace; font-size: 12px; }
    nav a:hover, nav a.active { background: #e8f0fe; }
    section { padding: 20px 28px; max-width: 1000px; }
    .method { display: inline-block; min-width: 44px; font-weight: 600; font-family: ui-monospace, monospace; }
    .GET { color: #0a7d32; } .POST { color: var(--accent); }
    table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
    td, th { text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); padding: 5px 8px; }
    td code { white-space: nowrap; }
    .type { color: var(--muted); font-family: ui-monospace, monospace; font-size: 12px; }
    textarea { width: 100%; min-height: 140px; font: 12px ui-monospace, monospace; padding: 8px; border: 1px solid var(--line); border-radius: 6px; }
    button { padding: 6px 16px; border: 0; border-radius: 6px; background: var(--accent); color: #fff; font: inherit; cursor: pointer; }
    button[disabled] { opacity: .5; }
    pre { background: #f2f2f5; padding: 10px; border-radius: 6px; overflow-x: auto; white-space: pre-wrap; word-break: break-word; font-size: 12px; }
    .status { font-weight: 600; }
    .muted { color: var(--muted); }
    input.param { padding: 4px 6px; border: 1px solid var(--line); border-radius: 5px; font: inherit; }
    </style>
    </head>
    <body>
    <header><h1>Swiftlet API</h1><span id="version" class="muted"></span>
    <label>API key <input id="key" type="password" placeholder="sk-… (when the server has one)" autocomplete="off"></label></header>
    <main><nav id="nav"></nav><section id="page"><p class="muted">Loading /openapi.json…</p></section></main>
    <script>
    "use strict";
    const keyInput = document.getElementById("key");
    keyInput.value = localStorage.getItem("swiftlet-key") || "";
    keyInput.addEventListener("input", () => localStorage.setItem("swiftlet-key", keyInput.value));
    let spec;
    let operations = [];

    function esc(text) {
      return String(text ?? "").replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
    }
    function resolve(schema) {
      while (schema && schema.$ref) {
        const described = schema.description;
        schema = Object.assign({}, spec.components.schemas[schema.$ref.split("/").pop()]);
        if (described) schema.description = described;
      }
      if (schema && schema.allOf) {
        const parts = schema.allOf.map(resolve);
        return {type: "object", description: parts.map(p => p.description).filter(Boolean).join(" "),
                properties: Object.assign({}, ...parts.map(p => p.properties || {})),
                required: parts.flatMap(p => p.required || [])};
      }
      return schema || {};
    }
    function typeOf(schema) {
      if (schema.$ref) return schema.$ref.split("/").pop();
      if (schema.oneOf) return schema.oneOf.map(typeOf).join(" | ");
      if (schema.type === "array") return typeOf(schema.items || {}) + "[]";
      if (schema.enum) return schema.enum.map(v => JSON.stringify(v)).join(" | ");
      return schema.type || "any";
    }
    function propertiesTable(schema, depth) {
      schema = resolve(schema);
      const properties = schema.properties || {};
      const required = new Set(schema.required || []);
      const rows = Object.keys(properties).map(name => {
        const property = properties[name];
        const inner = resolve(property.type === "array" ? property.items || {} : property);
        const nested = depth < 2 && inner.properties ? propertiesTable(inner, depth + 1) : "";
        return `<tr><td><code>${esc(name)}</code>${required.has(name) ? " <b>*</b>" : ""}</td>` +
          `<td class="type">${esc(typeOf(property))}</td><td>${esc(property.description || inner.description || "")}${nested}</td></tr>`;
      });
      return rows.length ? `<table><tr><th>name</th><th>type</th><th>description</th></tr>${rows.join("")}</table>` : "";
    }
    function render(index) {
      const op = operations[index];
      document.querySelectorAll("nav a").forEach((a, i) => a.classList.toggle("active", i === index));
      const o = op.operation;
      const params = (o.parameters || []).map(p =>
        `<p><label><code>${esc(p.name)}</code> <input class="param" data-name="${esc(p.name)}" placeholder="${esc(p.description)}"></label></p>`).join("");
      const body = o.requestBody ? o.requestBody.content["application/json"] : null;
      const auth = o.security && o.security.length ? Object.keys(o.security[0])[0] === "adminKey" ? "admin key" : "API key" : "no key";
      const success = (o.responses["200"] || {}).content || {};
      document.getElementById("page").innerHTML =
        `<h2><span class="method ${op.method}">${op.method}</span> <code>${esc(op.path)}</code></h2>` +
        `<p><b>${esc(o.summary)}</b> <span class="muted">(${auth})</span></p><p>${esc(o.description || "")}</p>` +
        (body ? `<h3>Request body</h3>${propertiesTable(body.schema, 0)}` : "") +
        (success["application/json"] ? `<h3>Response</h3>${propertiesTable(success["application/json"].schema, 0) ||
          `<p class="type">${esc(typeOf(success["application/json"].schema))}</p>`}` : "") +
        (success["text/event-stream"] ? `<p class="muted">${esc(success["text/event-stream"].schema.description)}</p>` : "") +
        `<h3>Try it</h3>${params}` +
        (body ? `<textarea id="body" spellcheck="false">${esc(body.example || "{}")}</textarea>` : "") +
        `<p><button id="send">Send</button></p><div id="result"></div>`;
      document.getElementById("send").onclick = () => send(op);
    }
    async function send(op) {
      const button = document.getElementById("send");
      const result = document.getElementById("result");
      let path = op.path;
      for (const input of document.querySelectorAll("input.param")) {
        path = path.replace(`{${input.dataset.name}}`, encodeURIComponent(input.value));
      }
      const headers = {};
      if (keyInput.value) headers["Authorization"] = `Bearer ${keyInput.value}`;
      const textarea = document.getElementById("body");
      const init = {method: op.method, headers};
      if (textarea) { headers["Content-Type"] = "application/json"; init.body = textarea.value; }
      button.disabled = true;
      result.innerHTML = `<p class="muted">Waiting…</p>`;
      try {
        const response = await fetch(path, init);
        result.innerHTML = `<p class="status">${response.status} ${esc(response.statusText)} <span class="muted">` +
          `${esc(response.headers.get("content-type") || "")}</span></p><pre id="output"></pre>`;
        const output = document.getElementById("output");
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let text = "";
        for (;;) {
          const {done, value} = await reader.read();
          if (done) break;
          text += decoder.decode(value, {stream: true});
          output.textContent = text;
        }
        if ((response.headers.get("content-type") || "").includes("json")) {
          try { output.textContent = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { output.textContent = text; }
        }
      } catch (error) {
        result.innerHTML = `<pre>${esc(error)}</pre>`;
      } finally {
        button.disabled = false;
      }
    }
    fetch("/openapi.json").then(r => r.json()).then(loaded => {
      spec = loaded;
      document.getElementById("version").textContent = spec.info.version;
      const order = spec.tags.map(t => t.name);
      for (const [path, methods] of Object.entries(spec.paths)) {
        for (const [method, operation] of Object.entries(methods)) {
          if (!(operation.description || "").startsWith("Same as")) {
            operations.push({path, method: method.toUpperCase(), operation});
          }
        }
      }
      operations.sort((a, b) => order.indexOf(a.operation.tags[0]) - order.indexOf(b.operation.tags[0]) ||
        a.path.localeCompare(b.path));
      let html = "", tag = "";
      operations.forEach((op, i) => {
        if (op.operation.tags[0] !== tag) { tag = op.operation.tags[0]; html += `<h2>${esc(tag)}</h2>`; }
        html += `<a href="#${i}" data-index="${i}"><span class="method ${op.method}">${op.method}</span> ${esc(op.path)}</a>`;
      });
      const aliases = Object.entries(spec.paths).flatMap(([path, methods]) => Object.entries(methods)
        .filter(([, o]) => (o.description || "").startsWith("Same as")).map(([m, o]) => `${m.toUpperCase()} ${path}: ${o.description}`));
      html += `<h2>Aliases</h2>` + aliases.map(a => `<p class="muted" style="font-size:12px;margin:2px 6px">${esc(a)}</p>`).join("");
      document.getElementById("nav").innerHTML = html;
      document.querySelectorAll("nav a").forEach(a => a.onclick = () => render(Number(a.dataset.index)));
      render(Math.min(Number(location.hash.slice(1)) || 0, operations.length - 1));
    }).catch(error => {
      document.getElementById("page").innerHTML = `<pre>Could not load /openapi.json: ${esc(error)}</pre>`;
    });
    </script>
    </body>
    </html>
    """#
}
