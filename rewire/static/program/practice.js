// A guided practice, one timed step at a time, on top of a page that works without JavaScript
// (there, every step is listed and one form holds the ratings before and after).
(function () {
  "use strict";

  var form = document.querySelector("[data-practice]");
  // A page sent back with errors stays in its plain, all-in-one layout.
  if (!form || form.querySelector(".form-errors")) return;

  var shownAt = Date.now();
  var beforeStage = form.querySelector('[data-stage="before"]');
  var stepsStage = form.querySelector('[data-stage="steps"]');
  var afterStage = form.querySelector('[data-stage="after"]');
  var list = form.querySelector("[data-step-list]");
  var player = form.querySelector("[data-player]");
  var beginButton = form.querySelector("[data-begin]");
  var beforeError = form.querySelector("[data-before-error]");
  var count = player.querySelector("[data-step-count]");
  var now = player.querySelector("[data-step-now]");
  var countdown = player.querySelector("[data-countdown]");
  var bar = player.querySelector("[data-step-progress]");
  var pauseButton = player.querySelector("[data-pause]");
  var nextButton = player.querySelector("[data-next]");
  var stopButton = player.querySelector("[data-stop]");
  var announce = player.querySelector("[data-announce]");
  var speechToggle = player.querySelector("[data-read-aloud]");
  var speech = "speechSynthesis" in window && "SpeechSynthesisUtterance" in window
    ? window.speechSynthesis : null;

  var steps = Array.prototype.map.call(list.querySelectorAll("[data-step]"), function (item) {
    return {
      seconds: parseInt(item.getAttribute("data-seconds"), 10) || 30,
      text: item.querySelector("[data-step-text]").textContent.trim()
    };
  });
  var index = -1;
  var remaining = 0; // milliseconds left in the current step
  var deadline = 0;
  var ticking = null;
  var paused = false;

  // The guided layout: rate first, then the player, then rate again.
  stepsStage.hidden = true;
  afterStage.hidden = true;
  list.hidden = true;
  beginButton.hidden = false;
  // Only a voice on this device: a browser's network voice would send the text elsewhere.
  var localVoice = null;
  function findLocalVoice() {
    if (!speech) return;
    var lang = (document.documentElement.lang || "en").toLowerCase().split("-")[0];
    var voices = speech.getVoices().filter(function (voice) { return voice.localService; });
    localVoice = voices.filter(function (voice) {
      return voice.lang.toLowerCase().split("-")[0] === lang;
    })[0] || null;
    player.querySelector("[data-speech]").hidden = !localVoice;
  }
  if (speech) {
    findLocalVoice();
    // Voices often arrive after the page has loaded.
    speech.addEventListener("voiceschanged", findLocalVoice);
  }

  function clock(milliseconds) {
    var seconds = Math.max(0, Math.ceil(milliseconds / 1000));
    var minutes = Math.floor(seconds / 60);
    seconds = seconds % 60;
    return minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
  }

  function speak(text) {
    if (!speech || !localVoice || !speechToggle.checked) return;
    speech.cancel();
    var utterance = new window.SpeechSynthesisUtterance(text);
    utterance.voice = localVoice;
    utterance.lang = localVoice.lang;
    utterance.rate = 0.9;
    speech.speak(utterance);
  }

  function show() {
    var step = steps[index];
    var left = paused ? remaining : deadline - Date.now();
    countdown.textContent = clock(left);
    bar.value = Math.min(1, 1 - left / (step.seconds * 1000));
  }

  function tick() {
    if (paused) return;
    if (Date.now() >= deadline) {
      goTo(index + 1);
      return;
    }
    show();
  }

  function goTo(next) {
    if (next >= steps.length) {
      finish();
      return;
    }
    index = next;
    var step = steps[index];
    remaining = step.seconds * 1000;
    deadline = Date.now() + remaining;
    count.textContent = "Step " + (index + 1) + " of " + steps.length;
    now.textContent = step.text;
    nextButton.textContent = index === steps.length - 1 ? "Finish" : "Next step";
    speak(step.text);
    show();
  }

  function setPaused(value) {
    paused = value;
    if (paused) {
      remaining = deadline - Date.now();
      if (speech) speech.cancel();
    } else {
      deadline = Date.now() + remaining;
    }
    pauseButton.textContent = paused ? "Resume" : "Pause";
    pauseButton.setAttribute("aria-pressed", paused ? "true" : "false");
    announce.textContent = paused ? "Paused." : "Going on.";
    show();
  }

  function finish() {
    window.clearInterval(ticking);
    ticking = null;
    if (speech) speech.cancel();
    stepsStage.hidden = true;
    afterStage.hidden = false;
    afterStage.querySelector("h2").focus();
  }

  function unrated() {
    var missing = null;
    beforeStage.querySelectorAll("[data-rating]:not([data-optional])").forEach(function (fieldset) {
      if (!missing && !fieldset.querySelector("input:checked")) missing = fieldset;
    });
    return missing;
  }

  beginButton.addEventListener("click", function () {
    var missing = unrated();
    if (missing) {
      beforeError.textContent = "Choose a number from 0 to 10 for each rating asked before you start.";
      beforeError.hidden = false;
      missing.querySelector("input").focus();
      return;
    }
    beforeError.hidden = true;
    form.querySelector('input[name="begun_after"]').value =
      String(Math.round((Date.now() - shownAt) / 1000));
    beforeStage.hidden = true;
    stepsStage.hidden = false;
    player.hidden = false;
    stepsStage.querySelector("h2").focus();
    goTo(0);
    ticking = window.setInterval(tick, 250);
  });
  pauseButton.addEventListener("click", function () { setPaused(!paused); });
  nextButton.addEventListener("click", function () {
    if (paused) setPaused(false);
    goTo(index + 1);
  });
  stopButton.addEventListener("click", finish);
  if (speech) {
    speechToggle.addEventListener("change", function () {
      if (speechToggle.checked && index >= 0 && !paused) speak(steps[index].text);
      else speech.cancel();
    });
    window.addEventListener("pagehide", function () { speech.cancel(); });
  }
})();
