/**
 * The HTML report's only script. It reads the listings from the page's JSON blocks and renders only
 * those near the viewport (virtual scrolling: spacers stand in for the rest, heights estimated until
 * measured). It builds elements with textContent and never parses data as HTML, so listing text cannot
 * turn into markup. Filters and sorting work on the data, not on the DOM.
 */
export const SCRIPT = `
(function () {
  "use strict";
  var host = document.getElementById("listings");
  if (!host) return;
  var listings = JSON.parse(document.getElementById("report-listings").textContent);
  var meta = JSON.parse(document.getElementById("report-meta").textContent);
  var strings = meta.strings, words = meta.words, titles = meta.titles;
  var before = document.getElementById("listings-before");
  var items = document.getElementById("listings-items");
  var after = document.getElementById("listings-after");
  var text = document.getElementById("filter-text");
  var severity = document.getElementById("filter-severity");
  var rule = document.getElementById("filter-rule");
  var status = document.getElementById("filter-status");
  var sort = document.getElementById("sort");
  var shown = document.getElementById("shown-count");
  var empty = document.getElementById("no-match");
  var SEVERITIES = ["error", "warning", "info"], STATUSES = ["", "new", "baselined"];
  var OVERSCAN = 800, HEAD_HEIGHT = 64, FINDING_HEIGHT = 150;

  function s(value) { return typeof value === "number" ? strings[value] : value; }
  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined && content !== null) node.textContent = content;
    return node;
  }
  function marked(parent, value, part) {
    var at = part ? value.indexOf(part) : -1;
    if (at < 0) { parent.appendChild(document.createTextNode(value)); return parent; }
    parent.appendChild(document.createTextNode(value.slice(0, at)));
    parent.appendChild(el("mark", "", part));
    parent.appendChild(document.createTextNode(value.slice(at + part.length)));
    return parent;
  }

  function regionList(regions) {
    var list = el("ul", "regions");
    regions.forEach(function (r) {
      var item = el("li", "", s(r[0]));
      if (r[1] !== null) { item.appendChild(document.createTextNode(" ")); item.appendChild(el("span", "fee", s(r[1]))); }
      if (r[2] !== null) item.appendChild(document.createTextNode(" (" + s(r[2]) + ")"));
      list.appendChild(item);
    });
    return list;
  }
  function renderRegions(f) {
    var box = el("div", "regions-box");
    if (f[7] !== null) box.appendChild(el("div", "template", words.template + " " + s(f[7])));
    if (f[10].length === 0) { box.appendChild(el("span", "", words.noRegions)); return box; }
    if (f[8] === null) { box.appendChild(regionList(f[10])); return box; }
    var details = el("details", "folded");
    var summary = el("summary", "", s(f[8]));
    if (f[9] !== null) { summary.appendChild(document.createTextNode(" ")); summary.appendChild(el("span", "fee", s(f[9]))); }
    details.appendChild(summary);
    details.addEventListener("toggle", function () {
      if (details.open && details.childNodes.length === 1) details.appendChild(regionList(f[10]));
      schedule();
    });
    box.appendChild(details);
    return box;
  }
  function renderFinding(f, where) {
    var item = el("li", "finding " + SEVERITIES[f[0]]);
    var head = el("div", "finding-head");
    head.appendChild(el("span", "pill " + SEVERITIES[f[0]], words.severity[f[0]]));
    if (f[2]) head.appendChild(el("span", "pill " + STATUSES[f[2]], words.status[f[2]]));
    var ruleId = s(f[1]);
    if (titles[ruleId]) head.appendChild(el("span", "rule-title", titles[ruleId]));
    head.appendChild(el("span", "rule", ruleId));
    item.appendChild(head);
    if (f[5] !== null) {
      var claim = el("div", "claim");
      claim.appendChild(el("span", "field", s(f[3])));
      claim.appendChild(document.createTextNode(" " + f[4]));
      claim.appendChild(el("mark", "", f[5]));
      claim.appendChild(document.createTextNode(f[6]));
      item.appendChild(claim);
    }
    item.appendChild(renderRegions(f));
    item.appendChild(marked(el("div", "message"), s(f[11]), f[5]));
    var fix = el("div", "fix");
    fix.appendChild(el("strong", "", words.fix));
    fix.appendChild(document.createTextNode(" " + s(f[12])));
    item.appendChild(fix);
    if (f[13] !== null && f[13] !== where) item.appendChild(el("div", "where", f[13]));
    return item;
  }
  function renderListing(index, findingIndexes) {
    var l = listings[index];
    var card = el("article", "listing");
    card.setAttribute("data-index", String(index));
    var head = el("header", "listing-head");
    head.appendChild(el("span", "listing-id", l[0]));
    head.appendChild(el("span", "listing-title", l[1]));
    var where = el("div", "where");
    if (l[3] !== null) {
      var link = el("a", "", l[2]);
      link.href = l[3];
      link.rel = "noopener noreferrer";
      where.appendChild(link);
    } else where.textContent = l[2];
    head.appendChild(where);
    card.appendChild(head);
    var list = el("ol", "findings");
    findingIndexes.forEach(function (i) { list.appendChild(renderFinding(l[4][i], l[2])); });
    card.appendChild(list);
    return card;
  }

  // The view: which listings pass the filters, in which order, and which of their findings show.
  var view = [], shownFindings = [], heights = [], offsets = new Float64Array(1), haystacks = [];
  function findingText(l, f) {
    var regionNames = f[10].map(function (r) { return s(r[0]); }).join(" ");
    return [l[0], l[1], l[2], titles[s(f[1])] || "", s(f[1]), f[4], f[5] || "", f[6], s(f[7]) || "", s(f[8]) || "",
      regionNames, s(f[11]), s(f[12])].join("\\n").toLowerCase();
  }
  // The search text of every finding, built in slices while the page is idle after it opens (a search
  // before then finishes the job at once).
  function indexUpTo(stop) {
    for (var index = haystacks.length; index < stop; index++) {
      var l = listings[index];
      haystacks.push(l[4].map(function (f) { return findingText(l, f); }));
    }
  }
  function indexInBackground() {
    indexUpTo(Math.min(listings.length, haystacks.length + 2000));
    if (haystacks.length < listings.length) setTimeout(indexInBackground, 0);
  }
  function haystack(index, i) {
    if (index >= haystacks.length) indexUpTo(listings.length);
    return haystacks[index][i];
  }
  function worst(l) { return Math.min.apply(null, l[4].map(function (f) { return f[0]; })); }
  function applyFilters() {
    var query = text.value.trim().toLowerCase();
    var wantSeverity = SEVERITIES.indexOf(severity.value), wantRule = rule.value;
    var wantStatus = status ? STATUSES.indexOf(status.value) : 0;
    var order = listings.map(function (_, i) { return i; });
    if (sort.value === "worst") order.sort(function (a, b) { return worst(listings[a]) - worst(listings[b]) || a - b; });
    if (sort.value === "most") order.sort(function (a, b) { return listings[b][4].length - listings[a][4].length || a - b; });
    view = []; shownFindings = []; heights = [];
    order.forEach(function (index) {
      var keep = [];
      listings[index][4].forEach(function (f, i) {
        if (wantSeverity >= 0 && f[0] !== wantSeverity) return;
        if (wantRule && s(f[1]) !== wantRule) return;
        if (wantStatus > 0 && f[2] !== wantStatus) return;
        if (query && haystack(index, i).indexOf(query) === -1) return;
        keep.push(i);
      });
      if (keep.length === 0) return;
      view.push(index);
      shownFindings.push(keep);
      heights.push(HEAD_HEIGHT + FINDING_HEIGHT * keep.length);
    });
    shown.textContent = String(view.length);
    empty.hidden = view.length > 0;
    layout();
    rendered = {};
    render(true);
  }
  function layout() {
    offsets = new Float64Array(view.length + 1);
    for (var i = 0; i < view.length; i++) offsets[i + 1] = offsets[i] + heights[i];
  }
  /** The first position whose item ends below y. */
  function positionAt(y) {
    var low = 0, high = view.length;
    while (low < high) {
      var mid = (low + high) >> 1;
      if (offsets[mid + 1] <= y) low = mid + 1; else high = mid;
    }
    return low;
  }

  var rendered = {}, window0 = -1, window1 = -1, pending = false;
  // Measured heights move what follows, so the window is placed again until it stops moving.
  function render(force) {
    for (var pass = 0; pass < 4 && place(force || pass > 0); pass++);
  }
  function place(force) {
    var top = host.getBoundingClientRect().top;
    var start = positionAt(-top - OVERSCAN);
    var end = Math.min(view.length, positionAt(-top + window.innerHeight + OVERSCAN) + 1);
    if (!force && start === window0 && end === window1) return false;
    window0 = start; window1 = end;
    var next = {}, fragment = document.createDocumentFragment();
    for (var p = start; p < end; p++) {
      var node = rendered[p] || renderListing(view[p], shownFindings[p]);
      next[p] = node;
      fragment.appendChild(node);
    }
    rendered = next;
    items.textContent = "";
    items.appendChild(fragment);
    var changed = false;
    for (var q = start; q < end; q++) {
      var height = rendered[q].offsetHeight;
      if (height !== heights[q]) { heights[q] = height; changed = true; }
    }
    if (changed) layout();
    before.style.height = offsets[start] + "px";
    after.style.height = offsets[view.length] - offsets[end] + "px";
    return changed;
  }
  function schedule() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; render(true); });
  }

  [text, severity, rule, status, sort].forEach(function (control) {
    if (control) control.addEventListener("input", applyFilters);
  });
  window.addEventListener("scroll", function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; render(false); });
  }, { passive: true });
  window.addEventListener("resize", schedule);
  applyFilters();
  setTimeout(indexInBackground, 0);
})();
`;
