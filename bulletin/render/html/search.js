/* Offline search of the bulletin archive: no server, no other host, no library.
   search-index.js (made by `bulletin site`) sets window.BULLETIN_SEARCH = {docs, terms, words}:
   docs are [title, issue, link]; terms map each Chinese character, each pair of neighbouring
   characters and each Latin word to the articles holding it. A query is split the same way
   (pairs for a run of two or more characters), and an article matches when it holds every term. */
(function () {
  "use strict";
  var HAN = /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$/;
  var RUNS = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z]+/g;

  function queryTerms(text) {
    var out = [];
    var runs = (text.normalize ? text.normalize("NFKC") : text).toLowerCase().match(RUNS) || [];
    runs.forEach(function (run) {
      if (HAN.test(run)) {
        if (run.length === 1) { out.push(run); }
        for (var i = 0; i + 1 < run.length; i++) { out.push(run.substr(i, 2)); }
      } else {
        out.push(run);
      }
    });
    return out;
  }

  function search(index, text) {
    var wanted = queryTerms(text);
    if (!wanted.length) { return null; }
    var hits = null;
    for (var i = 0; i < wanted.length; i++) {
      var docs = index.terms[wanted[i]] || [];
      if (hits === null) {
        hits = docs.slice();
      } else {
        var keep = {};
        docs.forEach(function (d) { keep[d] = true; });
        hits = hits.filter(function (d) { return keep[d]; });
      }
      if (!hits.length) { break; }
    }
    return hits || [];
  }

  function show(index, text, status, list) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    var hits = search(index, text);
    if (hits === null) { status.textContent = ""; return; }
    status.textContent = hits.length ? index.words.found.replace("{n}", String(hits.length)) : index.words.none;
    hits.forEach(function (d) {
      var doc = index.docs[d];
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = doc[2];
      link.textContent = doc[0];
      var where = document.createElement("span");
      where.className = "meta";
      where.textContent = "\u3000" + doc[1];
      item.appendChild(link);
      item.appendChild(where);
      list.appendChild(item);
    });
  }

  function start() {
    var index = window.BULLETIN_SEARCH;
    var box = document.getElementById("q");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    if (!index || !box || !status || !list) { return; }
    var run = function () { show(index, box.value, status, list); };
    box.addEventListener("input", run);
    if (box.form) {
      box.form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
