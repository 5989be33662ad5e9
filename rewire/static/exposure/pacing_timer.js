// The pacing timer: counts the activity's time, says when to take the break (in words, to a
// screen reader, and with a sound and a buzz where the device can), counts the break, and goes
// round again for as long as the person wants. "Finish and save" fills in the bout form below
// and sends it; without JavaScript that form is filled in by hand.
(function () {
  "use strict";

  var timer = document.querySelector("[data-pacing-timer]");
  var form = document.querySelector("[data-bout-form]");
  // A form sent back with problems stays a plain form: the person corrects it by hand.
  if (!timer || !form || form.querySelector(".form-errors")) return;

  var activityMs = (parseInt(timer.getAttribute("data-activity-minutes"), 10) || 1) * 60000;
  var breakMs = (parseInt(timer.getAttribute("data-break-minutes"), 10) || 1) * 60000;
  var phaseText = timer.querySelector("[data-phase]");
  var countdown = timer.querySelector("[data-countdown]");
  var bar = timer.querySelector("[data-progress]");
  var prompt = timer.querySelector("[data-prompt]");
  var totals = timer.querySelector("[data-totals]");
  var announce = timer.querySelector("[data-announce]");
  var alertToggle = timer.querySelector("[data-alert]");
  var buttons = {
    start: timer.querySelector("[data-start]"),
    again: timer.querySelector("[data-again]"),
    pause: timer.querySelector("[data-pause]"),
    breakNow: timer.querySelector("[data-break-now]"),
    finish: timer.querySelector("[data-finish]")
  };

  // phase: "ready" (before the first round), "activity", "break", "between" (break over)
  var phase = "ready";
  var round = 0;
  var breaks = 0;
  var roundsToTime = 0; // rounds that ran their whole quota (not cut short by an early break)
  var doneMs = 0; // activity time in the rounds already ended
  var length = activityMs; // the current phase's length
  var deadline = 0;
  var remaining = 0; // while paused
  var paused = false;
  var ticking = null;
  var audio = null;

  timer.hidden = false;
  form.querySelector("[name=breaks]").value = form.querySelector("[name=breaks]").value || "0";

  function clock(milliseconds) {
    var seconds = Math.max(0, Math.ceil(milliseconds / 1000));
    var minutes = Math.floor(seconds / 60);
    seconds = seconds % 60;
    return minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
  }

  function left() {
    return paused ? remaining : Math.max(0, deadline - Date.now());
  }

  function activitySoFar() {
    return doneMs + (phase === "activity" ? length - left() : 0);
  }

  function minutesDone() {
    // Under half a minute is nothing to save: a bout of "1 minute" would not be true.
    var ms = activitySoFar();
    return ms >= 30000 ? Math.max(1, Math.round(ms / 60000)) : 0;
  }

  function showButtons() {
    var running = phase === "activity" || phase === "break";
    buttons.start.hidden = phase !== "ready";
    buttons.again.hidden = phase !== "between";
    buttons.pause.hidden = !running;
    buttons.breakNow.hidden = phase !== "activity";
    buttons.finish.hidden = phase === "ready";
  }

  function show() {
    var ms = phase === "activity" || phase === "break" ? left() : 0;
    countdown.textContent = clock(phase === "ready" ? activityMs : ms);
    bar.value = phase === "activity" || phase === "break" ? Math.min(1, 1 - ms / length) : 0;
    if (phase !== "ready") {
      // Whole minutes so far; the bout saved rounds, to at least one.
      var minutes = Math.floor(activitySoFar() / 60000);
      totals.textContent = "So far: " + minutes + " minute" + (minutes === 1 ? "" : "s") +
        " of activity, " + breaks + " break" + (breaks === 1 ? "" : "s") + ".";
    }
  }

  function say(text) {
    prompt.textContent = text;
    // Emptied first, so the same words said twice are announced twice.
    announce.textContent = "";
    window.setTimeout(function () { announce.textContent = text; }, 50);
  }

  function signal() {
    if (!alertToggle.checked) return;
    if (navigator.vibrate) navigator.vibrate([250, 150, 250]);
    if (!audio) return;
    // Two short soft tones, made on the device: no sound file is fetched.
    [0, 0.35].forEach(function (offset) {
      var start = audio.currentTime + offset;
      var tone = audio.createOscillator();
      var volume = audio.createGain();
      tone.frequency.value = 660;
      volume.gain.setValueAtTime(0.0001, start);
      volume.gain.exponentialRampToValueAtTime(0.2, start + 0.02);
      volume.gain.exponentialRampToValueAtTime(0.0001, start + 0.25);
      tone.connect(volume);
      volume.connect(audio.destination);
      tone.start(start);
      tone.stop(start + 0.3);
    });
  }

  function begin(next, ms) {
    phase = next;
    length = ms;
    paused = false;
    deadline = Date.now() + ms;
    buttons.pause.textContent = "Pause";
    buttons.pause.setAttribute("aria-pressed", "false");
    if (!ticking) ticking = window.setInterval(tick, 500);
    showButtons();
    show();
  }

  function startRound() {
    if (!audio && (window.AudioContext || window.webkitAudioContext)) {
      // Made on a tap, as browsers allow sound only after one.
      try { audio = new (window.AudioContext || window.webkitAudioContext)(); } catch (e) { audio = null; }
    }
    round += 1;
    phaseText.textContent = "Round " + round + ": activity";
    begin("activity", activityMs);
    say("Round " + round + ". Go at an easy pace. The timer tells you when to stop.");
  }

  function endActivity() {
    doneMs += length - left();
  }

  function takeBreak() {
    endActivity();
    breaks += 1;
    phaseText.textContent = "Round " + round + ": break";
    begin("break", breakMs);
    say("Time for your break. Stop now, before the pain rises. Rest, stretch gently or do something different.");
    signal();
  }

  function breakOver() {
    phase = "between";
    window.clearInterval(ticking);
    ticking = null;
    phaseText.textContent = "Break over";
    showButtons();
    show();
    say("Your break is over. Start another round when you are ready, or finish and save.");
    signal();
  }

  function tick() {
    if (paused) return;
    if (Date.now() < deadline) {
      show();
    } else if (phase === "activity") {
      roundsToTime += 1;
      takeBreak();
    } else if (phase === "break") {
      breakOver();
    }
  }

  function setPaused(value) {
    if (value) {
      remaining = left();
    } else {
      deadline = Date.now() + remaining;
    }
    paused = value;
    buttons.pause.textContent = paused ? "Resume" : "Pause";
    buttons.pause.setAttribute("aria-pressed", paused ? "true" : "false");
    announce.textContent = paused ? "Paused." : "Going on.";
    show();
  }

  function finish() {
    var minutes = minutesDone();
    if (phase === "activity") endActivity();
    window.clearInterval(ticking);
    ticking = null;
    if (minutes < 1) {
      say("Nothing to save yet: less than half a minute of activity so far.");
      return;
    }
    phase = "done";
    showButtons();
    buttons.finish.hidden = true;
    form.querySelector("[name=minutes]").value = String(minutes);
    form.querySelector("[name=breaks]").value = String(breaks);
    form.querySelector("[name=rounds_to_time]").value = String(roundsToTime);
    say("Saving " + minutes + " minute" + (minutes === 1 ? "" : "s") + " with " + breaks +
      " break" + (breaks === 1 ? "" : "s") + ".");
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }

  buttons.start.addEventListener("click", startRound);
  buttons.again.addEventListener("click", startRound);
  buttons.breakNow.addEventListener("click", takeBreak);
  // Leaving the page (a reload, the flare button) would lose the bout: the browser asks first.
  window.addEventListener("beforeunload", function (event) {
    if (phase === "activity" || phase === "break" || phase === "between") {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  buttons.pause.addEventListener("click", function () { setPaused(!paused); });
  buttons.finish.addEventListener("click", finish);
  showButtons();
  show();
})();
