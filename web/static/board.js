// The ready board: numbers from the server's events; each order's call comes once (the
// server decides which screen calls it), as a chime, then Korean and English speech
// synthesised by the server, and as text for those who cannot hear it.
"use strict";
(function () {
  var announcement = document.getElementById("announcement");
  var soundButton = document.getElementById("sound");
  var audio = null;
  var queue = [], playing = false;
  soundButton.addEventListener("click", function () {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    audio.resume();
    soundButton.hidden = true;
  });
  function fill(id, numbers) {
    var list = document.getElementById(id);
    list.innerHTML = "";
    numbers.forEach(function (n) { var li = document.createElement("li"); li.textContent = n; list.appendChild(li); });
  }
  function chime() {
    if (!audio) { return Promise.resolve(); }
    [880, 660].forEach(function (f, i) {
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = f; osc.connect(gain); gain.connect(audio.destination);
      var t0 = audio.currentTime + i * 0.35;
      gain.gain.setValueAtTime(0.3, t0); gain.gain.exponentialRampToValueAtTime(0.001, t0 + 0.3);
      osc.start(t0); osc.stop(t0 + 0.32);
    });
    return new Promise(function (done) { setTimeout(done, 800); });
  }
  function say(number, lang) {
    if (!audio) { return Promise.resolve(); }
    return new Promise(function (done) {
      var a = new Audio("/board/call/" + number + ".wav?lang=" + lang);
      a.onended = done; a.onerror = done;
      a.play().catch(done);
    });
  }
  function next() {
    if (playing || !queue.length) { return; }
    playing = true;
    var call = queue.shift();
    announcement.textContent = "";
    ["ko", "en"].forEach(function (lang) {  // each sentence in its own language, for screen readers
      var span = document.createElement("span");
      span.lang = lang; span.textContent = call.text[lang] + " ";
      announcement.appendChild(span);
    });
    var calls = (document.body.dataset.called || "").split(" ").filter(Boolean);
    calls.push(String(call.number));
    document.body.dataset.called = calls.join(" ");
    chime().then(function () { return say(call.number, "ko"); })
      .then(function () { return say(call.number, "en"); })
      .then(function () { playing = false; next(); });
  }
  var source = new EventSource("/board/events");
  source.addEventListener("board", function (e) {
    var data = JSON.parse(e.data);
    document.body.dataset.updates = String(Number(document.body.dataset.updates || 0) + 1);
    fill("preparing", data.preparing);
    fill("ready", data.ready);
    data.announce.forEach(function (call) { queue.push(call); });
    next();
  });
})();
