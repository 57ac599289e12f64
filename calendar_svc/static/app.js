// Progressive enhancement only: every page works without this file.
// 1. "Copy URL" buttons next to feed URLs. 2. The country filter on the index.
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "offscreen";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  function setupCopy(button) {
    var input = document.getElementById(button.getAttribute("data-copy-target"));
    if (!input) { return; }
    var status = document.getElementById(input.id.replace(/-url$/, "-status"));
    button.hidden = false;
    button.addEventListener("click", function () {
      copyText(input.value).then(function () {
        button.textContent = "Copied";
        if (status) { status.textContent = "Calendar URL copied to the clipboard."; }
        window.setTimeout(function () { button.textContent = "Copy URL"; }, 2000);
      }, function () {
        input.focus();
        input.select();
        if (status) { status.textContent = "Press Ctrl+C (or Cmd+C) to copy the selected URL."; }
      });
    });
  }

  function setupFilter(input) {
    var container = document.getElementById(input.getAttribute("data-filter-target"));
    if (!container) { return; }
    input.closest(".filter").hidden = false;
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      container.querySelectorAll(".directory-item").forEach(function (item) {
        var text = (item.getAttribute("data-filter-text") || "").toLowerCase();
        item.hidden = needle !== "" && text.indexOf(needle) === -1;
      });
      container.querySelectorAll(".region").forEach(function (region) {
        region.hidden = region.querySelectorAll(".directory-item:not([hidden])").length === 0;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".copy-button[data-copy-target]").forEach(setupCopy);
    document.querySelectorAll("input[data-filter-target]").forEach(setupFilter);
    document.querySelectorAll("input.feed-url").forEach(function (input) {
      input.addEventListener("focus", function () { input.select(); });
    });
  });
})();
