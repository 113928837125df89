// The staff page, live: the server sends the fresh HTML of #live on every change; a form
// is posted without reloading (focus stays where it was). Without JavaScript the forms
// still work, one page load each.
"use strict";
(function () {
  var live = document.getElementById("live");
  var news = document.getElementById("news");
  var connection = document.getElementById("connection");
  function refs() {
    var out = {};
    live.querySelectorAll("[data-ref]").forEach(function (el) { out[el.dataset.ref] = el.dataset.number; });
    return out;
  }
  function swap(html) {
    var before = refs();
    var focused = document.activeElement && document.activeElement.id;
    live.innerHTML = html;
    var target = focused && document.getElementById(focused);
    if (focused && !target) { target = document.getElementById("queue-heading"); }
    if (target) { target.focus(); }
    var after = refs(), fresh = [];
    Object.keys(after).forEach(function (ref) { if (!(ref in before)) { fresh.push(after[ref]); } });
    if (fresh.length) { news.textContent = live.dataset.newLabel + ": " + fresh.join(", "); }
  }
  var source = new EventSource("/staff/events");
  source.addEventListener("live", function (e) { swap(e.data); });
  source.onopen = function () { connection.textContent = connection.dataset.ok; };
  source.onerror = function () { connection.textContent = connection.dataset.lost; };
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!live.contains(form)) { return; }
    e.preventDefault();
    fetch(form.action, { method: "POST", body: new FormData(form), headers: { "X-Requested-With": "fetch" },
                         credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { return r.text().then(function (t) { news.textContent = t; }); } })
      .catch(function () { news.textContent = news.dataset.notSent; });
  });
})();
