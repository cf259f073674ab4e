/**
 * The HTML report's only script: filters and sorts the server-rendered findings table. It reads the
 * DOM (data attributes, text) and never builds HTML from data, so listing text cannot turn into markup.
 */
export const SCRIPT = `
(function () {
  "use strict";
  var table = document.getElementById("findings");
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var text = document.getElementById("filter-text");
  var severity = document.getElementById("filter-severity");
  var rule = document.getElementById("filter-rule");
  var status = document.getElementById("filter-status");
  var shown = document.getElementById("shown-count");
  var empty = document.getElementById("no-match");
  var collator = new Intl.Collator(document.documentElement.lang || undefined, { numeric: true });

  function matches(row, query) {
    if (severity.value && row.getAttribute("data-severity") !== severity.value) return false;
    if (rule.value && row.getAttribute("data-rule") !== rule.value) return false;
    if (status && status.value && row.getAttribute("data-status") !== status.value) return false;
    return !query || row.textContent.toLowerCase().indexOf(query) !== -1;
  }
  function applyFilters() {
    var query = text.value.trim().toLowerCase();
    var count = 0;
    rows.forEach(function (row) {
      var visible = matches(row, query);
      row.hidden = !visible;
      if (visible) count += 1;
    });
    shown.textContent = String(count);
    empty.hidden = count > 0;
  }
  [text, severity, rule, status].forEach(function (control) {
    if (control) control.addEventListener("input", applyFilters);
  });

  function sortKey(row, column) {
    var cell = row.cells[column];
    return cell.getAttribute("data-sort") || cell.textContent.trim();
  }
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  headers.forEach(function (header) {
    var button = header.querySelector("button");
    if (!button) return;
    button.addEventListener("click", function () {
      var direction = header.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
      headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
      header.setAttribute("aria-sort", direction);
      var factor = direction === "ascending" ? 1 : -1;
      var column = header.cellIndex;
      rows.slice().sort(function (a, b) {
        return factor * collator.compare(sortKey(a, column), sortKey(b, column)) ||
          Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order"));
      }).forEach(function (row) { body.appendChild(row); });
    });
  });
})();
`;
