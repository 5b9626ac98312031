/*
 * Title suggestions for the search fields: every input with data-suggest-url gets a
 * <datalist> filled from that URL as the visitor types (debounced). Without this script
 * the fields are plain search fields and the search works the same.
 */
(function () {
  "use strict";

  var DELAY_MS = 200;
  var MIN_CHARS = 1;

  function attach(input, index) {
    var url = input.getAttribute("data-suggest-url");
    if (!url || !window.fetch) {
      return;
    }
    var list = document.createElement("datalist");
    list.id = "search-suggestions-" + index;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off");

    var timer = null;
    var controller = null;
    var lastQuery = null;

    function fill(suggestions) {
      var fragment = document.createDocumentFragment();
      suggestions.forEach(function (suggestion) {
        var option = document.createElement("option");
        option.value = suggestion.title;
        fragment.appendChild(option);
      });
      list.replaceChildren(fragment);
    }

    function load() {
      var query = input.value.trim();
      if (query === lastQuery) {
        return;
      }
      lastQuery = query;
      if (query.length < MIN_CHARS) {
        fill([]);
        return;
      }
      if (controller) {
        controller.abort();
      }
      controller = window.AbortController ? new AbortController() : null;
      var separator = url.indexOf("?") === -1 ? "?" : "&";
      fetch(url + separator + "q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (data) {
          // Only the answer to what the field holds now.
          if (data && data.query === input.value.trim().replace(/\s+/g, " ")) {
            fill(data.suggestions || []);
          }
        })
        .catch(function () {
          /* Aborted or offline: keep the field as it is. */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(load, DELAY_MS);
    });
  }

  function init() {
    var inputs = document.querySelectorAll("input[data-suggest-url]");
    Array.prototype.forEach.call(inputs, attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
