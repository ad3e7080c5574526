// The documents table: search, sort and pages over the rows in data/docs-NNNN.js (window.REPORT_DOCS).
// Rows are [doc_id, title, published, content_type, page_kind, language, site, n_words, n_people, n_places, copy].
// Cells are built with textContent only: no text from the run is ever parsed as HTML.
(function () {
  "use strict";
  var table = document.getElementById("doc-table");
  if (!table || !window.REPORT_DOCS) return;
  var KEYS = { doc_id: 0, title: 1, published: 2, content_type: 3, page_kind: 4, language: 5, site: 6, n_words: 7, n_people: 8, n_places: 9 };
  var PER_PAGE = 50;
  var all = window.REPORT_DOCS.map(function (row) {
    return { row: row, haystack: [row[1], row[2], row[3], row[4], row[5], row[6], row[0]].join(" ").toLowerCase() };
  });
  var state = { query: "", key: "published", dir: "descending", page: 0 };
  var tbody = table.querySelector("tbody");
  var search = document.getElementById("doc-search");
  var status = document.getElementById("doc-status");
  var prev = document.getElementById("doc-prev");
  var next = document.getElementById("doc-next");
  var pageLabel = document.getElementById("doc-page");
  var current = all;

  function compare(a, b) {
    var i = KEYS[state.key], x = a.row[i], y = b.row[i];
    var order = typeof x === "number" ? x - y : String(x).localeCompare(String(y));
    if (order === 0) order = String(a.row[1]).localeCompare(String(b.row[1]));
    return state.dir === "ascending" ? order : -order;
  }

  function cell(tr, text, numeric) {
    var td = document.createElement("td");
    td.textContent = text;
    if (numeric) td.className = "num";
    tr.appendChild(td);
  }

  function render() {
    var pages = Math.max(1, Math.ceil(current.length / PER_PAGE));
    state.page = Math.min(state.page, pages - 1);
    var rows = current.slice(state.page * PER_PAGE, (state.page + 1) * PER_PAGE);
    var fragment = document.createDocumentFragment();
    rows.forEach(function (item) {
      var r = item.row, tr = document.createElement("tr"), td = document.createElement("td"), a = document.createElement("a");
      a.href = "docs/" + encodeURIComponent(r[0]) + ".html";
      a.textContent = r[1];
      td.appendChild(a);
      if (r[10]) {
        var badge = document.createElement("span");
        badge.className = "badge";
        badge.textContent = "copy";
        td.appendChild(document.createTextNode(" "));
        td.appendChild(badge);
      }
      tr.appendChild(td);
      for (var i = 2; i <= 6; i++) cell(tr, r[i], false);
      for (var j = 7; j <= 9; j++) cell(tr, String(r[j]), true);
      fragment.appendChild(tr);
    });
    tbody.replaceChildren(fragment);
    var one = current.length === 1;
    status.textContent = current.length + (one ? " document" : " documents") + (state.query ? (one ? " matches" : " match") + " “" + state.query + "”" : "");
    pageLabel.textContent = "page " + (state.page + 1) + " of " + pages;
    prev.disabled = state.page === 0;
    next.disabled = state.page >= pages - 1;
    table.querySelectorAll("th[data-key]").forEach(function (th) {
      th.setAttribute("aria-sort", th.dataset.key === state.key ? state.dir : "none");
    });
  }

  function update() {
    var words = state.query.toLowerCase().split(/\s+/).filter(Boolean);
    current = all.filter(function (item) {
      return words.every(function (w) { return item.haystack.indexOf(w) !== -1; });
    });
    current.sort(compare);
    render();
  }

  search.addEventListener("input", function () {
    state.query = search.value.trim();
    state.page = 0;
    update();
  });
  table.querySelectorAll("th[data-key] button").forEach(function (button) {
    button.addEventListener("click", function () {
      var th = button.parentElement, key = th.dataset.key;
      if (state.key === key) {
        state.dir = state.dir === "ascending" ? "descending" : "ascending";
      } else {
        state.key = key;
        state.dir = th.dataset.type === "num" ? "descending" : "ascending";
      }
      state.page = 0;
      update();
    });
  });
  prev.addEventListener("click", function () { state.page -= 1; render(); });
  next.addEventListener("click", function () { state.page += 1; render(); });
  update();
})();
