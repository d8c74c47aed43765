// The ledger's web console: plain JavaScript over the API of the same origin (/api, see /api/openapi.json).
// Home: the live violations feed; #/org/ORG: one org's retention exposure, schedule and violations.
// No library, no CDN: the charts are drawn by hand on canvas.
(function () {
  "use strict";

  var KIND_COLORS = { FIXED: "#2563eb", UNTIL_DELETED: "#f59e0b", PLATFORM_DEFINED: "#7c3aed", ZERO: "#10b981" };
  var ORG_PAGE_SIZE = 25, FEED_PAGE_SIZE = 25, HELD_PAGE_SIZE = 20, FEED_REFRESH_MS = 3000;
  var state = { orgQuery: "", orgPage: 1, feedPage: 1, heldPage: 1, org: null, at: null, timer: null };

  function $(id) { return document.getElementById(id); }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; } else if (k === "cls") { node.className = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }

  function status(text, isError) {
    var s = $("status");
    s.textContent = text;
    s.className = "status" + (isError ? " error" : "");
  }

  function api(path) {
    var headers = {};
    var token = sessionStorage.getItem("compliance-api-token");
    if (token) { headers.Authorization = "Bearer " + token; }
    return fetch(path, { headers: headers }).then(function (response) {
      return response.json().then(function (body) {
        if (response.status === 401) { $("token-box").hidden = false; }
        if (!response.ok) { throw new Error(body.error || ("HTTP " + response.status)); }
        return body;
      });
    });
  }

  function pager(container, page, size, total, go) {
    container.textContent = "";
    var pages = Math.max(1, Math.ceil(total / size));
    var prev = el("button", { type: "button", text: "previous" });
    var next = el("button", { type: "button", text: "next" });
    prev.disabled = page <= 1;
    next.disabled = page >= pages;
    prev.addEventListener("click", function () { go(page - 1); });
    next.addEventListener("click", function () { go(page + 1); });
    container.appendChild(prev);
    container.appendChild(el("span", { cls: "muted", text: "page " + page + " of " + pages + " (" + total + ")" }));
    container.appendChild(next);
  }

  function who(v) {
    if (v.userId === "unknown" && v.deviceId) { return "device " + v.deviceId; }
    return v.userId + (v.deviceId ? " (device " + v.deviceId + ")" : "");
  }

  function verdict(v) {
    return el("td", {}, [v.message + " ", el("span", { cls: "cite", text: "[seeds " + v.citations.join(", ") + "]" })]);
  }

  function orgLink(orgId) {
    return el("a", { href: "#/org/" + encodeURIComponent(orgId), text: orgId });
  }

  // ------------------------------------------------------------------ orgs

  function loadOrgs() {
    var q = encodeURIComponent(state.orgQuery);
    return api("/api/orgs?size=" + ORG_PAGE_SIZE + "&page=" + state.orgPage + (q ? "&q=" + q : "")).then(function (page) {
      var list = $("org-list");
      list.textContent = "";
      page.items.forEach(function (o) {
        var a = orgLink(o.orgId);
        if (o.orgId === state.org) { a.className = "current"; }
        a.title = "last event " + o.lastEventAt;
        list.appendChild(el("li", {}, [a]));
      });
      $("org-total").textContent = "(" + page.total + ")";
      pager($("org-pager"), page.page, page.size, page.total, function (p) { state.orgPage = p; loadOrgs().catch(fail); });
    });
  }

  // ------------------------------------------------------------------ feed

  function loadFeed() {
    return api("/api/violations/recent?size=" + FEED_PAGE_SIZE + "&page=" + state.feedPage).then(function (page) {
      var body = $("feed").tBodies[0];
      body.textContent = "";
      page.items.forEach(function (v) {
        body.appendChild(el("tr", { "data-violation": v.violationId }, [
          el("td", { text: v.eventTime.replace("T", " ").replace("Z", "") }),
          el("td", {}, [el("span", { cls: "sev sev-" + v.severity, text: v.severity })]),
          el("td", { text: v.code }),
          el("td", {}, [orgLink(v.orgId)]),
          el("td", { text: who(v) }),
          verdict(v)
        ]));
      });
      pager($("feed-pager"), page.page, page.size, page.total, function (p) { state.feedPage = p; loadFeed().catch(fail); });
      status("updated " + new Date().toISOString().substring(11, 19) + " UTC");
    });
  }

  // ------------------------------------------------------------------ org page

  function loadOrg() {
    var org = encodeURIComponent(state.org);
    var at = state.at ? "&at=" + state.at : "";
    var retention = api("/api/orgs/" + org + "/retention?size=" + HELD_PAGE_SIZE + "&page=" + state.heldPage + at).then(showRetention);
    var violations = api("/api/orgs/" + org + "/violations?size=500").then(showViolations);
    var recent = api("/api/violations/recent?size=20&org=" + org).then(function (page) {
      var body = $("org-feed").tBodies[0];
      body.textContent = "";
      page.items.forEach(function (v) {
        body.appendChild(el("tr", {}, [
          el("td", { text: v.eventTime.replace("T", " ").replace("Z", "") }),
          el("td", {}, [el("span", { cls: "sev sev-" + v.severity, text: v.severity })]),
          el("td", { text: v.code }), el("td", { text: who(v) }), verdict(v)]));
      });
    });
    return Promise.all([retention, violations, recent]).then(function () { status("org " + state.org + " as of " + (state.at || "today")); });
  }

  function counts(map) {
    return Object.keys(map).map(function (k) { return k + " " + map[k]; }).join(", ");
  }

  function showRetention(r) {
    $("held-total").textContent = r.heldTotal;
    $("held-kinds").textContent = counts(r.heldByKind);
    $("worst-held").textContent = r.worstCaseHeld;
    $("worst-horizon").textContent = r.worstCaseHorizon || "-";
    $("until-deleted").textContent = r.untilDeleted.count;
    $("until-deleted-oldest").textContent = r.untilDeleted.oldest || "-";
    if (!state.at) { $("at-input").value = r.at; }
    var body = $("held-table").tBodies[0];
    body.textContent = "";
    r.items.forEach(function (h) {
      body.appendChild(el("tr", {}, [el("td", { text: h.kind }), el("td", { text: h.plan }), el("td", { text: h.feature }),
        el("td", { text: h.effectiveClass || "-" }), el("td", { cls: "num", text: String(h.count) })]));
    });
    pager($("held-pager"), r.page, r.size, r.total, function (p) { state.heldPage = p; loadOrg().catch(fail); });
    var schedule = $("schedule-table").tBodies[0];
    schedule.textContent = "";
    r.schedule.forEach(function (p) {
      schedule.appendChild(el("tr", {}, [el("td", { text: p.from }), el("td", { text: p.to }), el("td", { text: p.unit }),
        el("td", { cls: "num", text: String(p.count) })]));
    });
    drawExposure($("exposure-chart"), r.exposure);
  }

  function showViolations(v) {
    $("violation-count").textContent = v.violationCount;
    $("violation-codes").textContent = counts(v.byCode);
    drawTrend($("trend-chart"), v.from, v.to, v.items);
  }

  // ------------------------------------------------------------------ charts

  function niceMax(n) {
    if (n <= 0) { return 1; }
    var p = Math.pow(10, Math.floor(Math.log10(n)));
    var steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i++) { if (steps[i] * p >= n) { return steps[i] * p; } }
    return 10 * p;
  }

  function axes(ctx, w, h, pad, max) {
    ctx.strokeStyle = "#d1d5db";
    ctx.fillStyle = "#6b7280";
    ctx.font = "11px system-ui, sans-serif";
    ctx.textAlign = "right";
    for (var i = 0; i <= 4; i++) {
      var y = h - pad.bottom - (h - pad.top - pad.bottom) * i / 4;
      ctx.beginPath(); ctx.moveTo(pad.left, y); ctx.lineTo(w - pad.right, y); ctx.stroke();
      var v = max * i / 4;
      ctx.fillText(v === Math.round(v) ? String(v) : v.toFixed(1), pad.left - 6, y + 4);
    }
  }

  function drawExposure(canvas, points) {
    var ctx = canvas.getContext("2d");
    var w = canvas.width, h = canvas.height, pad = { left: 60, right: 16, top: 14, bottom: 28 };
    ctx.clearRect(0, 0, w, h);
    var kinds = Object.keys(KIND_COLORS).filter(function (k) {
      return points.some(function (p) { return (p.byKind[k] || 0) > 0; });
    });
    var max = niceMax(points.reduce(function (m, p) {
      var total = kinds.reduce(function (s, k) { return s + (p.byKind[k] || 0); }, 0);
      return Math.max(m, total, p.worstCase);
    }, 0));
    axes(ctx, w, h, pad, max);
    var x = function (i) { return pad.left + (w - pad.left - pad.right) * i / Math.max(1, points.length - 1); };
    var y = function (n) { return h - pad.bottom - (h - pad.top - pad.bottom) * n / max; };
    var base = points.map(function () { return 0; });
    kinds.forEach(function (k) {
      var top = points.map(function (p, i) { return base[i] + (p.byKind[k] || 0); });
      ctx.beginPath();
      top.forEach(function (v, i) { if (i === 0) { ctx.moveTo(x(i), y(v)); } else { ctx.lineTo(x(i), y(v)); } });
      for (var i = points.length - 1; i >= 0; i--) { ctx.lineTo(x(i), y(base[i])); }
      ctx.closePath();
      ctx.fillStyle = KIND_COLORS[k];
      ctx.globalAlpha = 0.75;
      ctx.fill();
      ctx.globalAlpha = 1;
      base = top;
    });
    ctx.beginPath();
    ctx.setLineDash([6, 4]);
    ctx.strokeStyle = "#b91c1c";
    ctx.lineWidth = 2;
    points.forEach(function (p, i) { if (i === 0) { ctx.moveTo(x(i), y(p.worstCase)); } else { ctx.lineTo(x(i), y(p.worstCase)); } });
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.lineWidth = 1;
    ctx.fillStyle = "#6b7280";
    ctx.textAlign = "center";
    points.forEach(function (p, i) {
      if (i % 12 === 0) {
        ctx.textAlign = i === 0 ? "left" : i === points.length - 1 ? "right" : "center";
        ctx.fillText(p.day.substring(0, 7), x(i), h - 8);
      }
    });
    var legend = $("exposure-legend");
    legend.textContent = "";
    kinds.forEach(function (k) {
      legend.appendChild(el("span", {}, [el("i", { style: "background:" + KIND_COLORS[k] }), k]));
    });
    legend.appendChild(el("span", {}, [el("i", { style: "background:#b91c1c" }), "worst case"]));
    canvas.setAttribute("data-drawn", "true");
    canvas.setAttribute("data-points", String(points.length));
    canvas.setAttribute("data-first-held", String(kinds.reduce(function (s, k) { return s + (points[0].byKind[k] || 0); }, 0)));
  }

  function drawTrend(canvas, from, to, days) {
    var ctx = canvas.getContext("2d");
    var w = canvas.width, h = canvas.height, pad = { left: 60, right: 16, top: 10, bottom: 24 };
    ctx.clearRect(0, 0, w, h);
    var byDay = {};
    days.forEach(function (d) { byDay[d.day] = d.total; });
    var all = [];
    for (var t = Date.parse(from + "T00:00:00Z"); t <= Date.parse(to + "T00:00:00Z"); t += 86400000) {
      var key = new Date(t).toISOString().substring(0, 10);
      all.push({ day: key, total: byDay[key] || 0 });
    }
    var max = niceMax(all.reduce(function (m, d) { return Math.max(m, d.total); }, 0));
    axes(ctx, w, h, pad, max);
    var bw = (w - pad.left - pad.right) / Math.max(1, all.length);
    ctx.fillStyle = "#c2410c";
    all.forEach(function (d, i) {
      var bh = (h - pad.top - pad.bottom) * d.total / max;
      ctx.fillRect(pad.left + i * bw + 1, h - pad.bottom - bh, Math.max(1, bw - 2), bh);
    });
    ctx.fillStyle = "#6b7280";
    ctx.textAlign = "center";
    all.forEach(function (d, i) { if (i % 15 === 0) { ctx.fillText(d.day.substring(5), pad.left + i * bw + bw / 2, h - 6); } });
    canvas.setAttribute("data-drawn", "true");
  }

  // ------------------------------------------------------------------ routing

  function fail(e) { status(e.message, true); }

  function route() {
    var m = /^#\/org\/(.+)$/.exec(location.hash);
    clearInterval(state.timer);
    if (m) {
      var org = decodeURIComponent(m[1]);
      if (org !== state.org) { state.at = null; state.heldPage = 1; $("at-input").value = ""; }
      state.org = org;
      $("home-view").hidden = true;
      $("org-view").hidden = false;
      $("org-title").textContent = org;
      loadOrg().catch(fail);
    } else {
      state.org = null;
      $("org-view").hidden = true;
      $("home-view").hidden = false;
      loadFeed().catch(fail);
      state.timer = setInterval(function () { loadFeed().catch(fail); }, FEED_REFRESH_MS);
    }
    loadOrgs().catch(fail);
  }

  var searchDelay = null;
  $("org-search").addEventListener("input", function (e) {
    clearTimeout(searchDelay);
    searchDelay = setTimeout(function () { state.orgQuery = e.target.value.trim(); state.orgPage = 1; loadOrgs().catch(fail); }, 200);
  });
  $("at-input").addEventListener("change", function (e) { state.at = e.target.value || null; state.heldPage = 1; loadOrg().catch(fail); });
  $("at-today").addEventListener("click", function () { state.at = null; $("at-input").value = ""; loadOrg().catch(fail); });
  $("token-save").addEventListener("click", function () {
    sessionStorage.setItem("compliance-api-token", $("token-input").value);
    $("token-box").hidden = true;
    route();
  });
  window.addEventListener("hashchange", route);
  route();
})();
