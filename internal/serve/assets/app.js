// dpnkit's page: the upload form of `dpnkit serve` and the views of its
// results, also used by `report --html` (the results then come embedded in
// the page). No external script, style or font; only calls to the server
// that served the page, with the token of its address.
"use strict";
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var state = { positions: [], placements: [], check: null, reconcile: null,
    sortKey: "", sortDir: 1, findings: [] };
  var token = new URLSearchParams(location.search).get("token") || "";
  var MAX_ROWS = 2000;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) { if (attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, attrs[k]); }
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function fmt(n) { return typeof n === "number" ? n.toLocaleString("en-GB") : String(n); }
  function plural(n, one, many) { return fmt(n) + " " + (n === 1 ? one : many); }

  // ---- upload form (serve) ----
  function today() {
    var d = new Date(), m = d.getMonth() + 1, day = d.getDate();
    return d.getFullYear() + "-" + (m < 10 ? "0" : "") + m + "-" + (day < 10 ? "0" : "") + day;
  }
  function listFiles(kind) {
    var ul = $("list-" + kind);
    ul.textContent = "";
    state[kind].forEach(function (f, i) {
      var li = el("li", null, f.name + " (" + sizeText(f.size) + ")");
      var b = el("button", { type: "button", "class": "secondary", title: "remove" }, "remove");
      b.addEventListener("click", function () { state[kind].splice(i, 1); listFiles(kind); });
      li.appendChild(b);
      ul.appendChild(li);
    });
    $("run").textContent = state.placements.length ? "Check and reconcile" : "Check";
  }
  function sizeText(n) {
    if (n < 1024) return n + " bytes";
    if (n < 1048576) return (n / 1024).toFixed(0) + " KB";
    return (n / 1048576).toFixed(1) + " MB";
  }
  function addFiles(kind, files) {
    for (var i = 0; i < files.length; i++) state[kind].push(files[i]);
    listFiles(kind);
  }
  function setupDrop(kind) {
    var zone = $("drop-" + kind), input = $(kind);
    input.addEventListener("change", function () { addFiles(kind, input.files); input.value = ""; });
    ["dragenter", "dragover"].forEach(function (t) {
      zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) { if (e.dataTransfer) addFiles(kind, e.dataTransfer.files); });
  }
  function formData(extra) {
    var fd = new FormData();
    state.positions.forEach(function (f) { fd.append("positions", f, f.name); });
    state.placements.forEach(function (f) { fd.append("placements", f, f.name); });
    fd.append("as_of", $("as-of").value);
    if ($("vpd").value.trim()) fd.append("vpd", $("vpd").value.trim());
    for (var k in extra) if (extra[k]) fd.append(k, extra[k]);
    return fd;
  }
  function showError(msg) { var e = $("error"); e.textContent = msg; e.hidden = !msg; }
  function busy(label) {
    $("busy").hidden = !label;
    $("status").textContent = label || "";
    $("run").disabled = !!label;
    document.querySelectorAll("#downloads button").forEach(function (b) { b.disabled = !!label; });
  }
  // post sends the form to path with upload progress; done(err, xhr).
  function post(path, fd, responseType, label, done) {
    var xhr = new XMLHttpRequest();
    xhr.open("POST", path);
    xhr.setRequestHeader("Authorization", "Bearer " + token);
    xhr.responseType = responseType;
    var bar = $("progress");
    bar.removeAttribute("value");
    busy(label + ": sending files");
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      bar.value = Math.round(100 * e.loaded / e.total);
      $("status").textContent = label + ": sending files, " + sizeText(e.loaded) + " of " + sizeText(e.total);
    };
    xhr.upload.onload = function () { bar.removeAttribute("value"); $("status").textContent = label + ": working"; };
    xhr.onerror = function () { busy(""); done("dpnkit is not answering: is the dpnkit window still open?", xhr); };
    xhr.onload = function () {
      busy("");
      if (xhr.status === 200) { done(null, xhr); return; }
      errorText(xhr, function (msg) { done(msg, xhr); });
    };
    xhr.send(fd);
  }
  function errorText(xhr, cb) {
    var read = function (text) {
      try { cb(JSON.parse(text).error || text); } catch (e) { cb(text || ("HTTP " + xhr.status)); }
    };
    if (xhr.responseType === "blob" && xhr.response) { xhr.response.text().then(read); return; }
    read(xhr.responseText || (xhr.response ? String(xhr.response) : ""));
  }
  function runCheck() {
    showError("");
    if (!state.positions.length) { showError("Add at least one position export first."); return; }
    if (!/^\d{4}-\d{2}-\d{2}$/.test($("as-of").value)) { showError("Pick the as-of date first."); return; }
    post("api/check", formData(), "text", "Checking", function (err, xhr) {
      if (err) { showError(err); return; }
      var check = JSON.parse(xhr.responseText);
      if (!state.placements.length) { show({ check: check, reconcile: null }); return; }
      post("api/reconcile", formData(), "text", "Reconciling", function (err2, xhr2) {
        if (err2) { show({ check: check, reconcile: null }); showError(err2); return; }
        show({ check: check, reconcile: JSON.parse(xhr2.responseText) });
      });
    });
  }
  function download(include) {
    showError("");
    post("api/report", formData({ include: include }), "blob", "Preparing the download", function (err, xhr) {
      if (err) { showError(err); return; }
      var name = "dpnkit-report";
      var cd = xhr.getResponseHeader("Content-Disposition") || "";
      var m = /filename="([^"]+)"/.exec(cd);
      if (m) name = m[1];
      var url = URL.createObjectURL(xhr.response);
      var a = el("a", { href: url, download: name });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
    });
  }

  // ---- results ----
  var statCols = [["positions", "Positions"], ["active", "Active"], ["active_with_dpn", "Active with DPN"],
    ["duplicate_dpns", "Duplicate DPNs"], ["positions_in_duplicates", "Positions in duplicates"],
    ["dpn_issues", "DPN issues"], ["position_name_issues", "Position name issues"], ["errors", "Errors"],
    ["warnings", "Warnings"], ["infos", "Info"], ["input_errors", "Input errors"]];
  var recCols = [["placements", "Placements"], ["vacancies", "Vacancies"], ["matched", "Matched"],
    ["no_position", "No position"], ["end_dated", "End-dated"], ["many_positions", "Several positions"],
    ["exported", "Exported"], ["not_yet_due", "Not yet due"], ["blocked", "Blocked"],
    ["exceptions", "Exceptions"], ["unplaced_positions", "Unplaced positions"]];

  function statsTable(table, cols, rows, keyName, keyLabel) {
    table.textContent = "";
    var head = el("tr");
    head.appendChild(el("th", null, keyLabel));
    cols.forEach(function (c) { head.appendChild(el("th", null, c[1])); });
    if (keyName === "vpd") head.appendChild(el("th", null, "Verdict"));
    table.appendChild(head);
    rows.forEach(function (r) {
      var tr = el("tr", r.total ? { "class": "total" } : null);
      tr.appendChild(el("td", null, r.label));
      cols.forEach(function (c) {
        tr.appendChild(el("td", { "class": "num", "data-row": r.key, "data-stat": c[0] }, fmt(r.s[c[0]] || 0)));
      });
      if (keyName === "vpd") {
        tr.appendChild(el("td", { "data-row": r.key, "data-stat": "ready" }, r.s.ready ? "READY" : "NOT READY"));
      }
      table.appendChild(tr);
    });
  }
  function verdict(check) {
    var t = check.totals, v = $("verdict");
    v.className = "verdict " + (t.ready ? "ready" : "not-ready");
    v.textContent = t.ready ? "READY for go-live" : "NOT READY for go-live";
    v.setAttribute("data-ready", t.ready ? "true" : "false");
    var why = t.ready
      ? "No finding of severity error" + (t.warnings || t.infos ? "; " + plural(t.warnings, "warning", "warnings") + " and " + plural(t.infos, "info", "info") + " to review" : "")
      : plural(t.errors, "finding", "findings") + " of severity error " + (t.errors === 1 ? "blocks" : "block") + " go-live";
    v.appendChild(el("small", null, why + "."));
  }
  function show(data) {
    state.check = data.check; state.reconcile = data.reconcile;
    var c = data.check;
    $("results").hidden = false;
    verdict(c);
    var files = (c.inputs || []).map(function (i) { return i.path + " (" + fmt(i.rows) + " rows)"; });
    $("meta").textContent = "As of " + c.as_of + " · " + c.tool + " " + c.version + " · " + files.join(", ");
    var rows = (c.vpds || []).map(function (s) { return { key: s.vpd, label: s.vpd, s: s }; });
    rows.push({ key: "total", label: "Total", s: c.totals, total: true });
    statsTable($("vpds"), statCols, rows, "vpd", "VPD");
    showReconcile(data.reconcile);
    state.findings = collectFindings(c, data.reconcile);
    ruleSummary(state.findings);
    setupFilters(state.findings);
    renderFindings();
    if (!$("upload").hidden) {
      $("downloads").hidden = false;
      $("dl-exception").hidden = !data.reconcile;
    }
  }
  function showReconcile(r) {
    $("rec").hidden = !r;
    if (!r) return;
    var t = r.totals;
    $("rec-verdict").textContent = plural(t.placements, "placement", "placements") + ": " + fmt(t.matched) +
      " matched, " + fmt(t.blocked) + " blocked (will not reach ESR), " + plural(t.unplaced_positions, "training post", "training posts") + " without a placement.";
    var rows = (r.by_vpd || []).map(function (s) { return { key: s.group, label: s.group, s: s }; });
    rows.push({ key: "total", label: "Total", s: t, total: true });
    statsTable($("rec-groups"), recCols, rows, "group", "VPD");
    var dym = $("dym");
    dym.textContent = "";
    var head = el("tr");
    ["Placement", "NPN in TIS", "Did you mean", "Position", "VPD", "Why"].forEach(function (h) { head.appendChild(el("th", null, h)); });
    dym.appendChild(head);
    var n = 0;
    (r.placements || []).forEach(function (p) {
      (p.suggestions || []).forEach(function (s) {
        var tr = el("tr", { "data-placement": p.placement_id });
        [p.placement_id, p.npn, s.dpn, s.position_number, s.vpd, s.kind].forEach(function (x) { tr.appendChild(el("td", null, x)); });
        dym.appendChild(tr); n++;
      });
    });
    if (!n) { var tr = el("tr"); tr.appendChild(el("td", { colspan: "6" }, "No suggestion: every NPN not found in ESR is far from every DPN.")); dym.appendChild(tr); }
  }
  function collectFindings(c, r) {
    var out = [];
    (c.findings || []).forEach(function (f) { out.push(f); });
    if (r) (r.findings || []).forEach(function (f) { out.push(f); });
    return out;
  }
  var sevRank = { error: 0, warning: 1, info: 2 };
  function ruleSummary(findings) {
    var by = {};
    findings.forEach(function (f) {
      var k = f.rule;
      if (!by[k]) by[k] = { rule: f.rule, severity: f.severity, n: 0 };
      by[k].n++;
    });
    var rows = Object.keys(by).map(function (k) { return by[k]; });
    rows.sort(function (a, b) { return (sevRank[a.severity] - sevRank[b.severity]) || (b.n - a.n) || (a.rule < b.rule ? -1 : 1); });
    var t = $("rules");
    t.textContent = "";
    var head = el("tr");
    ["Rule", "Severity", "Findings"].forEach(function (h) { head.appendChild(el("th", null, h)); });
    t.appendChild(head);
    rows.forEach(function (r) {
      var tr = el("tr");
      var a = el("a", { href: "#findings", "data-rule-link": r.rule }, r.rule);
      a.addEventListener("click", function () { $("f-rule").value = r.rule; renderFindings(); });
      var td = el("td"); td.appendChild(a); tr.appendChild(td);
      tr.appendChild(el("td", { "class": "sev-" + r.severity }, r.severity));
      tr.appendChild(el("td", { "class": "num", "data-rule": r.rule }, fmt(r.n)));
      t.appendChild(tr);
    });
    if (!rows.length) { var tr = el("tr"); tr.appendChild(el("td", { colspan: "3" }, "No finding.")); t.appendChild(tr); }
  }
  function options(sel, label, values) {
    var keep = sel.value;
    sel.textContent = "";
    sel.appendChild(el("option", { value: "" }, "all " + label));
    values.forEach(function (v) { sel.appendChild(el("option", { value: v }, v === "" ? "(none)" : v)); });
    if (values.indexOf(keep) >= 0) sel.value = keep;
  }
  function distinct(findings, key) {
    var seen = {}, out = [];
    findings.forEach(function (f) { var v = f[key] || ""; if (!seen[v]) { seen[v] = true; out.push(v); } });
    return out.sort();
  }
  function setupFilters(findings) {
    options($("f-rule"), "rules", distinct(findings, "rule"));
    options($("f-severity"), "severities", distinct(findings, "severity"));
    options($("f-vpd"), "VPDs", distinct(findings, "vpd"));
  }
  var cols = [["severity", "Severity"], ["rule", "Rule"], ["vpd", "VPD"], ["ref", "Position / placement"],
    ["value", "Value"], ["message", "What to do"], ["where", "File, row"]];
  function cell(f, key) {
    switch (key) {
      case "ref": return f.position_number || (f.placement_id ? "placement " + f.placement_id : "");
      case "where": return (f.file || "") + (f.row ? ", row " + f.row : "");
      default: return f[key] === undefined ? "" : f[key];
    }
  }
  function sortValue(f, key) {
    if (key === "severity") return sevRank[f.severity];
    var v = cell(f, key);
    return typeof v === "string" ? v.toLowerCase() : v;
  }
  function renderFindings() {
    var rule = $("f-rule").value, sev = $("f-severity").value, vpd = $("f-vpd").value;
    var text = $("f-text").value.toLowerCase();
    var rows = state.findings.filter(function (f) {
      if (rule && f.rule !== rule) return false;
      if (sev && f.severity !== sev) return false;
      if (vpd && (f.vpd || "") !== vpd) return false;
      if (text && JSON.stringify(f).toLowerCase().indexOf(text) < 0) return false;
      return true;
    });
    if (state.sortKey) {
      var k = state.sortKey, d = state.sortDir;
      rows = rows.map(function (f, i) { return [f, i]; });
      rows.sort(function (a, b) {
        var x = sortValue(a[0], k), y = sortValue(b[0], k);
        return x < y ? -d : x > y ? d : a[1] - b[1];
      });
      rows = rows.map(function (p) { return p[0]; });
    }
    var t = $("findings");
    t.textContent = "";
    var head = el("tr");
    cols.forEach(function (c) {
      var th = el("th", { "data-key": c[0], "class": state.sortKey === c[0] ? (state.sortDir > 0 ? "asc" : "desc") : null }, c[1]);
      th.addEventListener("click", function () {
        if (state.sortKey === c[0]) state.sortDir = -state.sortDir; else { state.sortKey = c[0]; state.sortDir = 1; }
        renderFindings();
      });
      head.appendChild(th);
    });
    t.appendChild(head);
    var frag = document.createDocumentFragment();
    rows.slice(0, MAX_ROWS).forEach(function (f) {
      var tr = el("tr", { "data-rule": f.rule, "data-severity": f.severity });
      cols.forEach(function (c) {
        var td = el("td", c[0] === "severity" ? { "class": "sev-" + f.severity } : c[0] === "message" ? { "class": "msg" } : null, cell(f, c[0]));
        tr.appendChild(td);
      });
      frag.appendChild(tr);
    });
    t.appendChild(frag);
    var shown = $("shown");
    shown.setAttribute("data-count", String(rows.length));
    shown.textContent = rows.length > MAX_ROWS
      ? "showing the first " + fmt(MAX_ROWS) + " of " + fmt(rows.length) + " findings: filter to see the rest (the CSV has them all)"
      : plural(rows.length, "finding", "findings") + " of " + fmt(state.findings.length);
  }

  function start() {
    ["f-rule", "f-severity", "f-vpd"].forEach(function (id) { $(id).addEventListener("change", renderFindings); });
    $("f-text").addEventListener("input", renderFindings);
    var embedded = JSON.parse($("dpnkit-data").textContent || "null");
    if (embedded) { show(embedded); return; }
    $("upload").hidden = false;
    $("as-of").value = today();
    setupDrop("positions"); setupDrop("placements");
    $("run").addEventListener("click", runCheck);
    $("clear").addEventListener("click", function () {
      state.positions = []; state.placements = []; listFiles("positions"); listFiles("placements");
      $("results").hidden = true; showError("");
    });
    document.querySelectorAll("#downloads button").forEach(function (b) {
      b.addEventListener("click", function () { download(b.getAttribute("data-include")); });
    });
    // A file dropped outside the zones must not replace the page.
    window.addEventListener("dragover", function (e) { e.preventDefault(); });
    window.addEventListener("drop", function (e) { e.preventDefault(); });
  }
  start();
})();
