/* The workbench's own script (no inline script: the CSP forbids it). Every page works without it;
 * it adds two things a mouse makes quicker:
 *  - the issue page's article rows can be dragged to a new place; on drop the whole new order is
 *    POSTed to the row table's data-order-url (the server refuses anything but the current articles
 *    in a new order) and the page's main part is refreshed, the preview with it;
 *  - files dropped on a [data-dropzone] go into its file input and its form is submitted, as if they
 *    had been chosen.
 * Listeners sit on the document, so parts htmx swaps in need no setting up again. */
(function () {
  "use strict";

  var dragged = null;

  function rowOf(node) {
    while (node && node.nodeType === 1) {
      if (node.tagName === "TR" && node.hasAttribute("data-article")) return node;
      node = node.parentNode;
    }
    return null;
  }

  function hasFiles(event) {
    var types = event.dataTransfer && event.dataTransfer.types;
    return !!types && Array.prototype.indexOf.call(types, "Files") >= 0;
  }

  function clearMarks(body) {
    Array.prototype.forEach.call(body.querySelectorAll(".drop-before, .drop-after"), function (row) {
      row.classList.remove("drop-before", "drop-after");
    });
  }

  function before(row, event) {
    var box = row.getBoundingClientRect();
    return event.clientY < box.top + box.height / 2;
  }

  function sendOrder(body) {
    var url = body.getAttribute("data-order-url");
    var names = Array.prototype.map.call(body.querySelectorAll("tr[data-article]"), function (row) {
      return row.getAttribute("data-article");
    });
    var status = document.querySelector(".order-status");
    if (status) status.textContent = body.getAttribute("data-saving") || "…";
    if (window.htmx) {
      window.htmx.ajax("POST", url, {target: "#main", swap: "innerHTML", values: {article: names}});
      return;
    }
    // Without htmx: the same POST as a plain form, and the page it redirects to.
    var form = document.createElement("form");
    form.method = "post";
    form.action = url;
    names.forEach(function (name) {
      var field = document.createElement("input");
      field.type = "hidden";
      field.name = "article";
      field.value = name;
      form.appendChild(field);
    });
    document.body.appendChild(form);
    form.submit();
  }

  document.addEventListener("dragstart", function (event) {
    var row = rowOf(event.target);
    if (!row || event.target !== row) return;   // a link or text inside the row drags as usual
    dragged = row;
    row.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", row.getAttribute("data-article"));
  });

  document.addEventListener("dragend", function () {
    if (dragged) {
      dragged.classList.remove("dragging");
      clearMarks(dragged.parentNode);
    }
    dragged = null;
  });

  document.addEventListener("dragover", function (event) {
    if (hasFiles(event)) {
      // Files: only a drop zone takes them; elsewhere the browser would open the file and lose the page.
      event.preventDefault();
      var zone = event.target.closest && event.target.closest("[data-dropzone]");
      event.dataTransfer.dropEffect = zone ? "copy" : "none";
      Array.prototype.forEach.call(document.querySelectorAll("[data-dropzone]"), function (z) {
        z.classList.toggle("dropzone-active", z === zone);
      });
      return;
    }
    var row = rowOf(event.target);
    if (!dragged || !row || row.parentNode !== dragged.parentNode) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    clearMarks(row.parentNode);
    if (row !== dragged) row.classList.add(before(row, event) ? "drop-before" : "drop-after");
  });

  document.addEventListener("dragleave", function (event) {
    var zone = event.target.closest && event.target.closest("[data-dropzone]");
    if (zone && !zone.contains(event.relatedTarget)) zone.classList.remove("dropzone-active");
  });

  document.addEventListener("drop", function (event) {
    if (hasFiles(event)) {
      event.preventDefault();
      var zone = event.target.closest && event.target.closest("[data-dropzone]");
      if (!zone) return;
      zone.classList.remove("dropzone-active");
      var input = zone.querySelector("input[type=file]");
      if (!input) return;
      input.files = event.dataTransfer.files;
      var form = input.form;
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
      return;
    }
    var row = rowOf(event.target);
    if (!dragged || !row || row.parentNode !== dragged.parentNode) return;
    event.preventDefault();
    var body = row.parentNode;
    clearMarks(body);
    if (row === dragged) return;
    body.insertBefore(dragged, before(row, event) ? row : row.nextSibling);
    sendOrder(body);
  });

  // A form being sent says so to a screen reader (htmx disables its button and shows its indicator).
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.target.closest && event.target.closest("form");
    if (form) form.setAttribute("aria-busy", "true");
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target.closest && event.target.closest("form");
    if (form) form.removeAttribute("aria-busy");
  });
})();
