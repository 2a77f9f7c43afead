// rvsim web: the page.  Plain JavaScript, no libraries: an editor (textarea over a highlighted copy),
// run controls, registers, vector grid, memory, call stack, console and the cycle model's timeline,
// all talking to the server over one WebSocket (protocol: docs/web.md).
"use strict";

const TOKEN = document.querySelector('meta[name="rvsim-token"]').content;
const $ = (id) => document.getElementById(id);
const ABI = ("zero ra sp gp tp t0 t1 t2 s0 s1 a0 a1 a2 a3 a4 a5 a6 a7 s2 s3 s4 s5 s6 s7 s8 s9 s10 s11 " +
             "t3 t4 t5 t6").split(" ");
const FABI = ("ft0 ft1 ft2 ft3 ft4 ft5 ft6 ft7 fs0 fs1 fa0 fa1 fa2 fa3 fa4 fa5 fa6 fa7 fs2 fs3 fs4 fs5 " +
              "fs6 fs7 fs8 fs9 fs10 fs11 ft8 ft9 ft10 ft11").split(" ");
const STORE = "rvsim-web";

const app = {
  files: [],            // [{name, text}]
  active: 0,
  breakpoints: new Set(),   // "file:line"
  program: null,        // program info of the loaded program
  loadedKey: null,      // the sources + settings the machine was built from
  state: null, prevState: null,
  memPrev: null,
  diagnostics: [],
  running: false,
  info: null,
  toml: null,           // text of a user timing file
};

// ------------------------------------------------------------------ server

function api(path, body) {
  const opts = {headers: {"X-Rvsim-Token": TOKEN}};
  if (body !== undefined) {
    opts.method = "POST";
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  return fetch(path, opts).then((r) => r.json());
}

let ws = null, nextId = 1;
const pending = new Map();

function connect() {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  ws = new WebSocket(`${proto}//${location.host}/ws?token=${encodeURIComponent(TOKEN)}`);
  ws.onopen = () => { setStatus("ready"); scheduleAssemble(0); };
  ws.onclose = (ev) => {
    setStatus(`disconnected${ev.reason ? ": " + ev.reason : ""} — reload the page`, true);
    for (const [, p] of pending) p.reject(new Error("disconnected"));
    pending.clear();
  };
  ws.onmessage = (ev) => {
    const msg = JSON.parse(ev.data);
    if (msg.event === "progress") {
      setStatus(`running… ${msg.instructions.toLocaleString()} instructions (pc ${msg.pc})`);
      if (msg.console) appendConsole(msg.console);
      return;
    }
    const p = pending.get(msg.id);
    if (p) { pending.delete(msg.id); p.resolve(msg); }
  };
}

function send(cmd, args = {}) {
  return new Promise((resolve, reject) => {
    if (!ws || ws.readyState !== WebSocket.OPEN) { reject(new Error("not connected")); return; }
    const id = nextId++;
    pending.set(id, {resolve, reject});
    ws.send(JSON.stringify(Object.assign({id, cmd}, args)));
  });
}

// ------------------------------------------------------------------ persistence (per tab, survives reload)

function save() {
  sessionStorage.setItem(STORE, JSON.stringify({
    files: app.files, active: app.active, breakpoints: [...app.breakpoints],
    isa: $("isa").value, env: $("env").value, preset: $("preset").value,
    budget: $("budget").value, toml: app.toml,
  }));
}

function restore() {
  try { return JSON.parse(sessionStorage.getItem(STORE) || "null"); } catch (e) { return null; }
}

// ------------------------------------------------------------------ editor

const MNEMONIC_RE = /^[a-z][a-z0-9.]*$/i;
const REG_RE = /^(x([12]?\d|3[01])|f([12]?\d|3[01])|v([12]?\d|3[01])|zero|ra|sp|gp|tp|fp|t[0-6]|s([0-9]|1[01])|a[0-7]|ft([0-9]|1[01])|fs([0-9]|1[01])|fa[0-7]|v0\.t)$/;

function esc(s) {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function highlightLine(line) {
  // comment first (outside strings)
  let code = line, comment = "";
  let inStr = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"' && line[i - 1] !== "\\") inStr = !inStr;
    if (!inStr && (c === "#" || (c === "/" && line[i + 1] === "/"))) {
      code = line.slice(0, i); comment = line.slice(i); break;
    }
  }
  let out = "", sawOp = false;
  const re = /("(?:[^"\\]|\\.)*"?)|('(?:[^'\\]|\\.)')|([A-Za-z_.$][A-Za-z0-9_.$]*:)|(%[a-z_]+)|(-?(?:0x[0-9a-fA-F]+|0b[01]+|\d+)[fb]?)|([A-Za-z_.$][A-Za-z0-9_.$]*)|(\s+)|(.)/g;
  let m;
  while ((m = re.exec(code)) !== null) {
    const [tok, str, chr, label, rel, num, word] = m;
    if (str || chr) out += `<span class="t-str">${esc(tok)}</span>`;
    else if (label) out += `<span class="t-lab">${esc(tok)}</span>`;
    else if (rel) out += `<span class="t-rel">${esc(tok)}</span>`;
    else if (num) out += `<span class="t-num">${esc(tok)}</span>`;
    else if (word) {
      if (!sawOp && word.startsWith(".")) { out += `<span class="t-dir">${esc(tok)}</span>`; sawOp = true; }
      else if (!sawOp && MNEMONIC_RE.test(word)) { out += `<span class="t-op">${esc(tok)}</span>`; sawOp = true; }
      else if (REG_RE.test(word)) out += `<span class="t-reg">${esc(tok)}</span>`;
      else out += esc(tok);
    } else out += esc(tok);
  }
  if (comment) out += `<span class="t-com">${esc(comment)}</span>`;
  return out;
}

function currentFile() { return app.files[app.active]; }

function renderEditor() {
  const f = currentFile();
  const ta = $("source");
  if (ta.value !== f.text) ta.value = f.text;
  const lines = f.text.split("\n");
  ta.style.height = `${lines.length * 18 + 8}px`;
  const longest = lines.reduce((a, l) => Math.max(a, l.length), 0);
  ta.style.width = `${Math.max(500, longest * 8 + 120)}px`;
  const diags = app.diagnostics.filter((d) => d.file === f.name);
  const byLine = new Map();
  for (const d of diags) if (d.line && !byLine.has(d.line)) byLine.set(d.line, d);
  const where = app.state && app.state.where;
  const curLine = where && where.file === f.name ? where.line : -1;
  const codeLines = new Set((app.program && app.program.lines[f.name]) || []);
  const cycles = (app.state && app.state.timing && app.state.timing.by_line[f.name]) || {};
  let html = "", gut = "";
  lines.forEach((text, i) => {
    const n = i + 1;
    const d = byLine.get(n);
    let body = highlightLine(text);
    if (d) {
      body = (d.severity === "warning" ? highlightLine(text) : markColumn(text, d)) +
        `<span class="diag${d.severity === "warning" ? " warning" : ""}" data-line="${n}">✖ ${esc(d.message)}${d.hint ? " — " + esc(d.hint) : ""}</span>`;
    }
    const cls = ["ln"];
    if (n === curLine) cls.push("current");
    if (d) cls.push("error");
    html += `<span class="${cls.join(" ")}">${body || " "}</span>`;
    const gcls = ["gl"];
    if (codeLines.has(n)) gcls.push("code");
    if (app.breakpoints.has(`${f.name}:${n}`)) gcls.push("breakpoint");
    if (n === curLine) gcls.push("current");
    if (d) gcls.push("error");
    const c = cycles[n];
    const ctext = c ? `${c.cycles.toLocaleString()}c` : "";
    const ctitle = c ? ` title="${c.count} executions, ${c.cycles} cycles${c.cause ? ", mostly " + c.cause : ""}"` : "";
    gut += `<div class="${gcls.join(" ")}" data-line="${n}"${ctitle}><span class="bp"></span>` +
           `<span class="num">${n}</span><span class="cyc">${ctext}</span></div>`;
  });
  $("highlight").innerHTML = html;
  $("gutter").innerHTML = gut;
  renderFileTabs();
}

function markColumn(text, d) {
  // the culprit columns underlined (plain text, so the underline sits exactly under the characters)
  if (!d.col) return `<span class="squiggle">${esc(text) || " "}</span>`;
  const a = d.col - 1, b = Math.min(text.length, a + Math.max(1, d.length || 1));
  return esc(text.slice(0, a)) + `<span class="squiggle">${esc(text.slice(a, b)) || " "}</span>` + esc(text.slice(b));
}

function renderFileTabs() {
  const bar = $("filetabs");
  bar.innerHTML = "";
  app.files.forEach((f, i) => {
    const t = document.createElement("span");
    t.className = "ftab" + (i === app.active ? " active" : "") +
      (app.diagnostics.some((d) => d.file === f.name) ? " has-error" : "");
    t.textContent = f.name;
    t.dataset.name = f.name;
    t.onclick = () => { app.active = i; renderEditor(); save(); };
    if (app.files.length > 1) {
      const x = document.createElement("span");
      x.className = "close"; x.textContent = "×"; x.title = "close";
      x.onclick = (ev) => { ev.stopPropagation(); closeFile(i); };
      t.appendChild(x);
    }
    bar.appendChild(t);
  });
}

function closeFile(i) {
  if (!confirm(`Close ${app.files[i].name}? (Save it first to keep it.)`)) return;
  app.files.splice(i, 1);
  app.active = Math.min(app.active, app.files.length - 1);
  renderEditor(); save(); scheduleAssemble();
}

function addFile(name, text, activate = true) {
  const i = app.files.findIndex((f) => f.name === name);
  if (i >= 0) app.files[i].text = text;
  else app.files.push({name, text});
  if (activate) app.active = i >= 0 ? i : app.files.length - 1;
}

function renderDiagnostics() {
  const box = $("diagnostics");
  box.innerHTML = "";
  for (const d of app.diagnostics) {
    const div = document.createElement("div");
    div.className = "d";
    div.dataset.file = d.file; div.dataset.line = d.line;
    div.innerHTML = `${esc(d.file)}:${d.line}:${d.col}: ${esc(d.severity)}: ${esc(d.message)}` +
      (d.hint ? `\n  <span class="hint">hint: ${esc(d.hint)}</span>` : "");
    div.onclick = () => gotoLine(d.file, d.line);
    box.appendChild(div);
  }
}

function gotoLine(file, line) {
  const i = app.files.findIndex((f) => f.name === file);
  if (i < 0) return;
  app.active = i;
  renderEditor();
  const ta = $("source");
  const lines = currentFile().text.split("\n");
  let pos = 0;
  for (let k = 0; k < line - 1 && k < lines.length; k++) pos += lines[k].length + 1;
  ta.focus();
  ta.setSelectionRange(pos, pos);
  $("editor-scroll").scrollTop = Math.max(0, (line - 5) * 18);
}

function cursorLine() {
  const ta = $("source");
  return ta.value.slice(0, ta.selectionStart).split("\n").length;
}

// ------------------------------------------------------------------ assembling and loading

let assembleTimer = null;
function scheduleAssemble(delay = 400) {
  clearTimeout(assembleTimer);
  assembleTimer = setTimeout(assembleNow, delay);
}

function settingsKey() {
  return JSON.stringify([app.files, $("isa").value, $("env").value, presetValue()]);
}

function presetValue() {
  const p = $("preset").value;
  return p === "__toml__" ? app.toml : p;
}

async function assembleNow() {
  if (app.running) { scheduleAssemble(500); return; }
  const key = settingsKey();
  if (key === app.loadedKey) return;
  // assemble and (when it succeeds) load a fresh machine: the page always runs what the editor shows
  let r;
  try {
    r = await send("load", {files: app.files, isa: $("isa").value, env: $("env").value,
                            preset: presetValue(), breakpoints: bpList(), memory: memoryRequest()});
  } catch (e) { return; }
  if (!r.ok && r.error) { setStatus(r.error, true); app.loadedKey = key; return; }
  app.diagnostics = r.errors || [];
  renderDiagnostics();
  app.loadedKey = key;
  if (r.errors && r.errors.length) {
    app.program = null;
    setStatus(`${r.errors.length} error${r.errors.length > 1 ? "s" : ""}`, true);
    renderEditor();
    return;
  }
  app.program = r.program;
  app.diagnostics = r.warnings || [];     // misaligned data and the like: shown, but the program runs
  renderDiagnostics();
  if (r.breakpoints) app.breakpoints = new Set(r.breakpoints.map(([f, l]) => `${f}:${l}`));
  $("console").innerHTML = "";
  app.prevState = null;
  app.memPrev = null;
  showState(r.state, true);
  setStatus(`assembled; ready at ${r.state.pc}`);
  updateButtons();
}

function bpList() {
  return [...app.breakpoints].map((k) => { const i = k.lastIndexOf(":"); return [k.slice(0, i), +k.slice(i + 1)]; });
}

// ------------------------------------------------------------------ running

async function motion(cmd, args = {}) {
  if (app.running) return;
  if (settingsKey() !== app.loadedKey) await assembleNow();
  if (!app.program) { setStatus("fix the errors first", true); return; }
  app.running = true;
  updateButtons();
  setStatus("running…");
  const t0 = performance.now();
  let r;
  try {
    r = await send(cmd, Object.assign({budget: budgetValue(), memory: memoryRequest()}, args));
  } catch (e) {
    app.running = false; updateButtons(); return;
  }
  const ms = performance.now() - t0;
  app.running = false;
  app.lastRoundTrip = ms;
  if (!r.ok) { setStatus(r.error, true); updateButtons(); return; }
  if (r.console) appendConsole(r.console);
  if (r.state) showState(r.state);
  const stop = r.stop || {};
  $("changes").textContent = stop.changes && stop.changes.length
    ? "last command changed: " + stop.changes.map((c) => c.text).join("; ") : "";
  let msg = stop.message || "";
  const where = r.state && r.state.where ? ` at ${r.state.where.file}:${r.state.where.line}` : "";
  if (!msg) msg = `stopped${where}`;
  else if (stop.reason === "breakpoint") msg = `breakpoint${where}`;
  if (stop.instructions > 0) msg += ` (${stop.instructions.toLocaleString()} instructions)`;
  else if (stop.instructions < 0) msg += ` (${(-stop.instructions).toLocaleString()} instructions undone)`;
  setStatus(msg, stop.reason === "trap" || stop.reason === "error");
  if (stop.reason === "exit" || stop.reason === "trap" || stop.reason === "error" || stop.reason === "hang")
    appendConsole(`\n[${stop.message}]\n`, "note");
  updateButtons();
}

async function debuggerCommand(line) {
  // rvsim debug's command language; commands that run the program report as the buttons do
  if (settingsKey() !== app.loadedKey) await assembleNow();
  if (!app.program) { appendConsole("fix the errors first\n", "dbg"); return; }
  app.running = true; updateButtons();
  let r;
  try { r = await send("command", {line, budget: budgetValue(), memory: memoryRequest()}); }
  catch (e) { app.running = false; updateButtons(); return; }
  app.running = false;
  if (r.console) appendConsole(r.console);
  if (!r.ok) { appendConsole(r.error + "\n", "dbg"); updateButtons(); return; }
  if (r.lines && r.lines.length) appendConsole(r.lines.join("\n") + "\n", "dbg");
  if (r.breakpoints) app.breakpoints = new Set(r.breakpoints.map(([f, l]) => `${f}:${l}`));
  if (r.state && r.stop) showState(r.state);
  else if (r.state) {                    // nothing ran (print, set var...): keep the last step's highlights
    const prev = app.prevState;
    showState(r.state);
    app.prevState = prev;
    renderRegs();
  }
  if (r.stop) {
    const where = r.state && r.state.where ? ` at ${r.state.where.file}:${r.state.where.line}` : "";
    setStatus(r.stop.message || `stopped${where}`, r.stop.reason === "trap" || r.stop.reason === "error");
  }
  save();
  updateButtons();
}

function budgetValue() {
  const v = parseInt($("budget").value, 10);
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

function updateButtons() {
  const loaded = !!app.program;
  const fin = app.state && app.state.finished;
  for (const id of ["btn-run", "btn-step", "btn-stepi", "btn-next", "btn-finish", "btn-until"])
    $(id).disabled = app.running || !loaded || !!fin;
  const rev = loaded && app.program && app.program.reverse;
  for (const id of ["btn-rstep", "btn-rcont"]) {
    $(id).disabled = app.running || !rev;
    if (!rev) $(id).title = "reverse execution is not available in this rvsim" +
      (app.program && app.program.reverse_note ? ` (${app.program.reverse_note})` : "");
  }
  $("btn-reset").disabled = app.running || !loaded;
  $("btn-stop").disabled = !app.running;
}

function setStatus(text, error = false) {
  const s = $("status");
  s.textContent = text;
  s.className = "status" + (error ? " error" : "");
}

function appendConsole(text, cls) {
  const c = $("console");
  const span = document.createElement("span");
  if (cls) span.className = cls;
  span.textContent = text;
  c.appendChild(span);
  while (c.childNodes.length > 2000) c.removeChild(c.firstChild);     // keep the page light
  c.scrollTop = c.scrollHeight;
}

// ------------------------------------------------------------------ state views

function showState(state, fresh = false) {
  app.prevState = fresh ? null : app.state;
  app.state = state;
  renderEditor();
  renderRegs();
  renderCsrs();
  renderVector();
  renderMemory();
  renderStack();
  renderCycles();
  scrollToCurrent();
}

function scrollToCurrent() {
  const w = app.state && app.state.where;
  if (!w || w.file !== currentFile().name) return;
  const box = $("editor-scroll");
  const y = (w.line - 1) * 18;
  if (y < box.scrollTop || y > box.scrollTop + box.clientHeight - 40) box.scrollTop = Math.max(0, y - 100);
}

function fmtInt(hex, fmt, bits = 64) {
  const v = BigInt(hex);
  if (fmt === "hex") return "0x" + v.toString(16).padStart(bits / 4, "0");
  if (fmt === "unsigned") return v.toString();
  return BigInt.asIntN(bits, v).toString();
}

function fmtFloat(hex) {
  const v = BigInt(hex);
  const buf = new DataView(new ArrayBuffer(8));
  if ((v >> 32n) === 0xffffffffn) {           // NaN-boxed single
    buf.setUint32(0, Number(v & 0xffffffffn));
    return formatNum(buf.getFloat32(0)) + "f";
  }
  buf.setBigUint64(0, v);
  return formatNum(buf.getFloat64(0));
}

function formatNum(x) {
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return x.toFixed(1);
  return Number.isFinite(x) ? x.toPrecision(9).replace(/\.?0+(e|$)/, "$1") : String(x);
}

function renderRegs() {
  const s = app.state, p = app.prevState;
  if (!s || !s.x) return;
  const fmt = $("regfmt").value;
  let html = "";
  for (let i = 0; i < 32; i += 2) {
    html += "<tr>";
    for (const k of [i, i + 1]) {
      const ch = p && p.x && p.x[k] !== s.x[k] ? " changed" : "";
      html += `<td class="name">x${k} ${ABI[k]}</td><td class="val${ch}" id="reg-${ABI[k]}">${fmtInt(s.x[k], fmt)}</td>`;
    }
    html += "</tr>";
  }
  $("xregs").innerHTML = html;
  $("pcinfo").textContent = `pc ${s.pc} · ${s.instret.toLocaleString()} instructions` +
    (s.history !== null && s.history !== undefined ? ` · history ${s.history}` : "");
  if (s.f) {
    const ff = $("fpfmt").value;
    let fh = "";
    for (let i = 0; i < 32; i += 2) {
      fh += "<tr>";
      for (const k of [i, i + 1]) {
        const ch = p && p.f && p.f[k] !== s.f[k] ? " changed" : "";
        fh += `<td class="name">f${k} ${FABI[k]}</td><td class="val${ch}" id="reg-${FABI[k]}">` +
              `${ff === "hex" ? fmtInt(s.f[k], "hex") : fmtFloat(s.f[k])}</td>`;
      }
      fh += "</tr>";
    }
    $("fregs").innerHTML = fh;
  } else $("fregs").innerHTML = "";
}

function renderCsrs() {
  const s = app.state, p = app.prevState;
  if (!s || !s.csr) return;
  let html = "";
  for (const [name, v] of Object.entries(s.csr)) {
    const ch = p && p.csr && p.csr[name] !== v ? " changed" : "";
    html += `<tr><td class="name">${name}</td><td class="val${ch}">${fmtInt(v, "hex")}</td>` +
            `<td class="val">${BigInt(v).toString()}</td></tr>`;
  }
  $("csrs").innerHTML = html;
}

function renderVector() {
  const s = app.state;
  const grid = $("vgrid");
  if (!s || !s.vector) { grid.textContent = "no vector unit in this ISA"; $("vinfo").textContent = ""; return; }
  const v = s.vector, vt = v.vtype;
  const sew = vt.vill || !vt.sew ? 0 : vt.sew;
  const lmul = vt.lmul || 1;
  const vlmax = sew ? Math.floor(v.vlen / sew * lmul) : 0;
  $("vinfo").innerHTML = `VLEN ${v.vlen} · vl <b id="v-vl">${v.vl}</b> · vtype ${vt.raw}` +
    (vt.vill ? " (vill)" : ` = e${sew}, m${lmul < 1 ? "f" + (1 / lmul) : lmul}, ${vt.ta ? "ta" : "tu"}, ${vt.ma ? "ma" : "mu"} · VLMAX ${vlmax}`) +
    ` · vstart ${v.vstart}`;
  const esew = sew || 8;
  const bytes = esew / 8;
  const per = v.vlen / esew;
  const fmt = $("vfmt").value;
  const mask = hexBytes(v.regs[0]);
  const p = app.prevState && app.prevState.vector;
  const group = Math.max(1, lmul);
  const markMask = $("vmask").checked;
  let html = "<table><tr><td class='vname'></td>";
  for (let e = 0; e < per; e++) html += `<td class="vname">${e}</td>`;
  html += "</tr><tr class='maskrow'><td class='vname' title='the mask bits of v0 for the first register of a group'>mask</td>";
  for (let e = 0; e < per; e++) html += `<td>${(mask[e >> 3] >> (e & 7)) & 1}</td>`;
  html += "</tr>";
  for (let r = 0; r < 32; r++) {
    const data = hexBytes(v.regs[r]);
    const prev = p ? hexBytes(p.regs[r]) : null;
    const inGroup = r % group;
    html += `<tr class="${inGroup === 0 && group > 1 ? "group-start" : ""}"><td class="vname">v${r}</td>`;
    for (let e = 0; e < per; e++) {
      const idx = inGroup * per + e;     // element index within the register group
      const cls = [];
      if (sew && idx >= v.vl) cls.push("tail");
      else if (markMask && sew && !((mask[idx >> 3] >> (idx & 7)) & 1)) cls.push("masked");
      const el = data.slice(e * bytes, (e + 1) * bytes);
      if (prev && prev.slice(e * bytes, (e + 1) * bytes).some((b, k) => b !== el[k])) cls.push("changed");
      html += `<td class="${cls.join(" ")}">${fmtElem(el, fmt)}</td>`;
    }
    html += "</tr>";
  }
  grid.innerHTML = html + "</table>";
}

function hexBytes(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16);
  return out;
}

function fmtElem(bytes, fmt) {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  const bits = bytes.length * 8;
  if (fmt === "hex") return v.toString(16).padStart(bits / 4, "0");
  if (fmt === "unsigned") return v.toString();
  if (fmt === "float" && (bits === 32 || bits === 64)) {
    const dv = new DataView(new Uint8Array(bytes).buffer);
    return formatNum(bits === 32 ? dv.getFloat32(0, true) : dv.getFloat64(0, true));
  }
  return BigInt.asIntN(bits, v).toString();
}

function memoryRequest() {
  return {follow: $("mem-follow").value || "sp", count: 256};
}

function renderMemory() {
  const s = app.state;
  const out = $("memory");
  if (!s || !s.memory) { out.textContent = ""; return; }
  if (s.memory.error) { out.textContent = s.memory.error; return; }
  const base = BigInt(s.memory.address);
  const data = hexBytes(s.memory.bytes);
  const prev = app.memPrev && app.memPrev.address === s.memory.address ? hexBytes(app.memPrev.bytes) : null;
  app.memPrev = s.memory;
  const fmt = $("memfmt").value;
  const sp = BigInt(s.x[2]);
  let html = "";
  for (let off = 0; off < data.length; off += 16) {
    const addr = base + BigInt(off);
    html += `${addr.toString(16).padStart(12, "0")}  `;
    const row = data.slice(off, off + 16);
    const changed = (i) => prev && prev[off + i] !== row[i];
    if (fmt === "bytes" || fmt === "string") {
      for (let i = 0; i < row.length; i++) {
        const b = row[i].toString(16).padStart(2, "0");
        html += (changed(i) ? `<span class="changed">${b}</span>` : b) + (i === 7 ? "  " : " ");
      }
      html += " ";
      for (let i = 0; i < row.length; i++) {
        const c = row[i] >= 32 && row[i] < 127 ? esc(String.fromCharCode(row[i])) : ".";
        html += changed(i) ? `<span class="changed">${c}</span>` : c;
      }
    } else {
      for (let i = 0; i + 4 <= row.length; i += 4) {
        const w = row.slice(i, i + 4);
        const dv = new DataView(w.buffer.slice(w.byteOffset, w.byteOffset + 4));
        const text = fmt === "floats" ? formatNum(dv.getFloat32(0, true)).padStart(13)
          : BigInt.asIntN(32, BigInt(dv.getUint32(0, true))).toString().padStart(12);
        const ch = [0, 1, 2, 3].some((k) => changed(i + k));
        html += (ch ? `<span class="changed">${text}</span>` : text) + " ";
      }
    }
    if (addr <= sp && sp < addr + 16n) html += "  ← sp";
    html += "\n";
  }
  if (fmt === "string") {
    let str = "";
    for (const b of data) { if (b === 0) break; str += String.fromCharCode(b); }
    html = `"${esc(str)}"\n\n` + html;
  }
  out.innerHTML = html;
}

function renderStack() {
  const s = app.state;
  const ol = $("stack");
  ol.innerHTML = "";
  if (!s || !s.stack) return;
  for (const fr of s.stack) {
    const li = document.createElement("li");
    const w = fr.where ? `${fr.where.file}:${fr.where.line}` : "";
    li.textContent = `${fr.function || "??"}  ${fr.pc}  ${w}`;
    if (fr.where) li.onclick = () => gotoLine(fr.where.file, fr.where.line);
    ol.appendChild(li);
  }
}

function renderCycles() {
  const s = app.state;
  const sum = $("cycle-summary"), tl = $("timeline");
  const t = s && s.timing;
  if (!t) {
    sum.textContent = "Choose a preset under “Cycles” to run on the cycle model.";
    tl.innerHTML = "";
    return;
  }
  const c = t.cache;
  const hits = (a, m) => `${(a - m).toLocaleString()} hits / ${m.toLocaleString()} misses`;
  const stalls = Object.entries(t.stalls).sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v.toLocaleString()}`).join(", ") || "none";
  let busy = "";
  if (t.vector && t.vector.busy_pct)
    busy = Object.entries(t.vector.busy_pct).map(([k, v]) => `${k} ${v}%`).join(", ");
  sum.innerHTML = `<div class="summary-grid">` +
    `<span>preset</span><b id="t-preset">${esc(t.preset)}</b><span>cycles</span><b id="t-cycles">${t.cycles}</b>` +
    `<span>instructions</span><b id="t-insns">${t.instructions}</b><span>IPC</span><b>${t.ipc}</b>` +
    `<span>L1I</span><b>${hits(c.l1i_accesses, c.l1i_misses)}</b><span>L1D</span><b>${hits(c.l1d_accesses, c.l1d_misses)}</b>` +
    `<span>L2</span><b>${hits(c.l2_accesses, c.l2_misses)}</b><span>vector unit busy</span><b>${busy || "—"}</b>` +
    `</div><div>stall cycles: ${esc(stalls)}</div>`;
  const rows = t.timeline.slice(-60);
  tl.innerHTML = "";
  if (!rows.length) return;
  // the window: from the first issue (a long fetch wait before it is clipped) to the last result
  const lo = Math.min(...rows.map((r) => r.issue)) - 1;
  const hi = Math.max(...rows.map((r) => r.done), lo + 1);
  const scale = (x) => `${((x - lo) / (hi - lo)) * 100}%`;
  const head = document.createElement("div");
  head.className = "note";
  head.textContent = `last ${rows.length} instructions: red = waiting to issue, blue = executing, green = vector unit; numbers are issue → result cycles`;
  tl.appendChild(head);
  for (const r of rows) {
    const row = document.createElement("div");
    row.className = "row";
    const lbl = document.createElement("span");
    lbl.className = "lbl";
    lbl.textContent = `${r.pc.slice(2)}  ${r.text}`;
    lbl.title = r.where ? `${r.where.file}:${r.where.line}` : "";
    const cyc = document.createElement("span");
    cyc.className = "cyc";
    cyc.textContent = `${r.issue} → ${r.done}`;
    const track = document.createElement("span");
    track.className = "track";
    const bar = (cls, a, b) => {
      if (b <= a) return;
      const d = document.createElement("span");
      d.className = "bar " + cls;
      d.style.left = scale(a);
      d.style.width = `calc(${scale(b)} - ${scale(a)} + 2px)`;
      track.appendChild(d);
    };
    bar("wait", Math.max(lo, Math.min(r.fetch, r.issue)), r.issue);
    if (r.vector) bar("vec", Math.max(r.start, r.issue), r.done);
    else bar("exec", r.issue, Math.max(r.done, r.issue + 1));
    const cause = document.createElement("span");
    cause.className = "cause";
    cause.textContent = r.cause ? `${r.cause} ${r.stall}` : "";
    row.append(lbl, cyc, track, cause);
    row.dataset.issue = r.issue; row.dataset.done = r.done;
    tl.appendChild(row);
  }
}

// ------------------------------------------------------------------ wiring

function wire() {
  const ta = $("source");
  ta.addEventListener("input", () => {
    currentFile().text = ta.value;
    renderEditor(); save(); scheduleAssemble();
  });
  ta.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey) {       // keep the line's indentation
      ev.preventDefault();
      const a = ta.selectionStart;
      const lineStart = ta.value.lastIndexOf("\n", a - 1) + 1;
      const indent = ta.value.slice(lineStart, a).match(/^[ \t]*/)[0];
      ta.setRangeText("\n" + indent, a, ta.selectionEnd, "end");
      ta.dispatchEvent(new Event("input"));
      return;
    }
    if (ev.key === "Tab") {
      ev.preventDefault();
      const a = ta.selectionStart;
      ta.setRangeText("\t", a, ta.selectionEnd, "end");
      ta.dispatchEvent(new Event("input"));
    }
  });
  $("gutter").addEventListener("click", async (ev) => {
    const gl = ev.target.closest(".gl");
    if (!gl) return;
    const line = +gl.dataset.line, file = currentFile().name;
    const key = `${file}:${line}`;
    const on = !app.breakpoints.has(key);
    if (!app.program) {
      if (on) app.breakpoints.add(key); else app.breakpoints.delete(key);
      renderEditor(); save(); return;
    }
    const r = await send("break", {file, line, on});
    if (!r.ok) { setStatus(r.error, true); return; }
    app.breakpoints = new Set(r.breakpoints.map(([f, l]) => `${f}:${l}`));
    renderEditor(); save();
  });
  $("btn-run").onclick = () => motion("continue");
  $("btn-step").onclick = () => motion("step", {n: 1});
  $("btn-stepi").onclick = () => motion("stepi", {n: 1});
  $("btn-next").onclick = () => motion("next");
  $("btn-finish").onclick = () => motion("finish");
  $("btn-until").onclick = () => motion("until", {file: currentFile().name, line: cursorLine()});
  $("btn-rstep").onclick = () => motion("reverse_step", {n: 1});
  $("btn-rcont").onclick = () => motion("reverse_continue");
  $("btn-reset").onclick = async () => {
    if (app.running) return;
    const r = await send("reset", {memory: memoryRequest()});
    if (!r.ok) { setStatus(r.error, true); return; }
    $("console").innerHTML = "";
    app.memPrev = null;
    showState(r.state, true);
    setStatus(`reset; ready at ${r.state.pc}`);
    updateButtons();
  };
  $("btn-stop").onclick = () => send("stop").catch(() => {});
  $("btn-clear").onclick = () => { $("console").innerHTML = ""; };
  $("console-input").addEventListener("keydown", (ev) => {
    if (ev.key !== "Enter") return;
    const text = ev.target.value + "\n";
    ev.target.value = "";
    appendConsole(text, "input");
    send("input", {text}).catch(() => {});
  });
  const history = [];
  let histPos = 0;
  $("gdb-input").addEventListener("keydown", async (ev) => {
    if (ev.key === "ArrowUp" || ev.key === "ArrowDown") {
      ev.preventDefault();
      histPos = Math.max(0, Math.min(history.length, histPos + (ev.key === "ArrowUp" ? -1 : 1)));
      ev.target.value = history[histPos] || "";
      return;
    }
    if (ev.key !== "Enter") return;
    const line = ev.target.value.trim();
    if (!line || app.running) return;
    history.push(line); histPos = history.length;
    ev.target.value = "";
    appendConsole(`(rvsim) ${line}\n`, "dbg");
    await debuggerCommand(line);
  });
  for (const b of document.querySelectorAll("#tabs button")) {
    b.onclick = () => {
      for (const x of document.querySelectorAll("#tabs button")) x.classList.toggle("active", x === b);
      for (const p of document.querySelectorAll(".panel")) p.classList.toggle("active", p.id === "panel-" + b.dataset.panel);
    };
  }
  for (const id of ["regfmt", "fpfmt"]) $(id).onchange = renderRegs;
  $("vfmt").onchange = renderVector;
  $("vmask").onchange = renderVector;
  $("memfmt").onchange = renderMemory;
  $("mem-follow").addEventListener("change", async () => {
    if (!app.program) return;
    app.memPrev = null;
    const r = await send("state", {memory: memoryRequest()});
    if (r.ok) { app.state.memory = r.state.memory; renderMemory(); }     // the registers' highlights stay
    else setStatus(r.error, true);
  });
  for (const id of ["isa", "env", "preset"]) $(id).onchange = () => {
    if (id === "preset" && $("preset").value === "__toml__" && !app.toml) { $("open-toml").click(); return; }
    save(); scheduleAssemble(0);
  };
  $("budget").onchange = save;
  $("examples").onchange = async (ev) => {
    const id = ev.target.value;
    if (!id) return;
    const r = await api(`/api/example?id=${encodeURIComponent(id)}`);
    ev.target.value = "";
    if (!r.files) { setStatus(r.error || "cannot open the example", true); return; }
    app.files = r.files.map((f) => ({name: f.name, text: f.text}));
    app.active = 0;
    app.breakpoints.clear();
    if (r.env && [...$("env").options].some((o) => o.value === r.env)) $("env").value = r.env;
    renderEditor(); save(); scheduleAssemble(0);
  };
  $("server-files").onchange = async (ev) => {
    const name = ev.target.value;
    ev.target.value = "";
    if (!name) return;
    const r = await api(`/api/file?name=${encodeURIComponent(name)}`);
    if (r.text === undefined) { setStatus(r.error, true); return; }
    addFile(r.name.split("/").pop(), r.text);
    renderEditor(); save(); scheduleAssemble(0);
  };
  $("open-local").onchange = async (ev) => {
    for (const file of ev.target.files) addFile(file.name, await file.text());
    ev.target.value = "";
    renderEditor(); save(); scheduleAssemble(0);
  };
  $("open-toml").onchange = async (ev) => {
    const file = ev.target.files[0];
    if (!file) return;
    app.toml = await file.text();
    ev.target.value = "";
    if (![...$("preset").options].some((o) => o.value === "__toml__")) {
      const o = document.createElement("option"); o.value = "__toml__"; o.textContent = "your TOML";
      $("preset").appendChild(o);
    }
    $("preset").value = "__toml__";
    save(); scheduleAssemble(0);
  };
  $("btn-save").onclick = () => {
    const f = currentFile();
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([f.text], {type: "text/plain"}));
    a.download = f.name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };
  $("btn-new").onclick = () => {
    const name = prompt("Name of the new file (linked with the others; use .globl to share labels):", "util.s");
    if (!name) return;
    addFile(name.replace(/[\\/]/g, "_"), "        .text\n");
    renderEditor(); save();
  };
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "F5") { ev.preventDefault(); motion("continue"); }
    else if (ev.key === "F10") { ev.preventDefault(); motion("next"); }
    else if (ev.key === "F11" && ev.shiftKey) { ev.preventDefault(); motion("finish"); }
    else if (ev.key === "F11") { ev.preventDefault(); motion("step", {n: 1}); }
    else if (ev.key === "c" && ev.ctrlKey && app.running) { ev.preventDefault(); send("stop"); }
  });
}

async function start() {
  wire();
  const info = await api("/api/info");
  app.info = info;
  for (const isa of info.isas) $("isa").add(new Option(isa, isa));
  for (const env of info.envs) $("env").add(new Option(env, env));
  for (const p of info.presets) $("preset").add(new Option(p, p));
  const ex = await api("/api/examples");
  const groups = {};
  for (const e of ex.examples) {
    if (!groups[e.group]) { groups[e.group] = document.createElement("optgroup"); groups[e.group].label = e.group; $("examples").appendChild(groups[e.group]); }
    groups[e.group].appendChild(new Option(e.title, e.id));
  }
  const files = await api("/api/files");
  for (const f of files.files) $("server-files").add(new Option(`${f.name} (${f.source})`, f.name));
  if (!files.files.length) $("server-files").style.display = "none";
  const saved = restore();
  if (saved && saved.files && saved.files.length) {
    app.files = saved.files; app.active = Math.min(saved.active || 0, saved.files.length - 1);
    app.breakpoints = new Set(saved.breakpoints || []);
    app.toml = saved.toml || null;
    if (app.toml) { const o = document.createElement("option"); o.value = "__toml__"; o.textContent = "your TOML"; $("preset").appendChild(o); }
    for (const k of ["isa", "env", "preset", "budget"]) if (saved[k] !== undefined &&
        (k === "budget" || [...$(k).options].some((o) => o.value === saved[k]))) $(k).value = saved[k];
  } else {
    const cmdline = files.files.filter((f) => f.source === "command line");
    if (cmdline.length) {
      for (const f of cmdline) {
        const r = await api(`/api/file?name=${encodeURIComponent(f.name)}`);
        if (r.text !== undefined) addFile(r.name, r.text, false);
      }
      app.active = 0;
    } else {
      const r = await api("/api/example?id=course%2Fsum_array");
      app.files = r.files || [{name: "main.s", text: "        .text\n        .globl _start\n_start:\n"}];
    }
  }
  $("isa").value = $("isa").value || "rv64gcv";
  renderEditor();
  updateButtons();
  connect();
}

window.rvsimApp = app;       // for the browser tests and the curious
start();
