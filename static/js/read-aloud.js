/* 朗读: the article, or the text the reader selected, read by the browser's own speech
   synthesis, one sentence at a time, the sentence being read highlighted.
   The control stays hidden unless the browser has a Chinese voice. Its words come from
   the page (data-text-*), so a 繁體 page speaks to the reader in 繁體. */
(function () {
  "use strict";

  var synth = window.speechSynthesis;
  if (!synth || typeof window.SpeechSynthesisUtterance === "undefined") {
    return;
  }

  var HIGHLIGHT = "read-aloud";
  var BLOCK = "p, h1, h2, h3, h4, h5, h6, li, dt, dd, th, td, caption, blockquote, figcaption";
  var SKIP = "script, style, [hidden], [aria-hidden='true'], .visually-hidden";
  var SENTENCE_END = /[。！？；!?;]/;
  var RATE = 0.9; // a little slower than the default, for older listeners

  var control;
  var buttons = {};
  var status;
  var queue = [];
  var session = 0; // each start or stop begins a new one: events of an old one are ignored
  var voice = null;

  /* --- Choosing a voice -------------------------------------------------------------- */
  function normalised(lang) {
    return (lang || "").replace("_", "-").toLowerCase();
  }

  function chineseVoice() {
    var voices = synth.getVoices();
    var traditional = document.documentElement.lang === "zh-Hant";
    var preferred = traditional ? ["zh-tw", "zh-hk", "zh-hant", "zh-cn"] : ["zh-cn", "zh-hans", "cmn", "zh-tw"];
    for (var p = 0; p < preferred.length; p += 1) {
      for (var i = 0; i < voices.length; i += 1) {
        if (normalised(voices[i].lang).indexOf(preferred[p]) === 0) {
          return voices[i];
        }
      }
    }
    for (var j = 0; j < voices.length; j += 1) {
      var lang = normalised(voices[j].lang);
      if (lang.indexOf("zh") === 0 || lang.indexOf("cmn") === 0 || lang.indexOf("yue") === 0) {
        return voices[j];
      }
    }
    return null;
  }

  /* --- Sentences: their text and where they are on the page ---------------------------- */
  function blockOf(node) {
    var element = node.parentElement;
    return element ? element.closest(BLOCK) || element : null;
  }

  function skipped(node) {
    return node.parentElement && node.parentElement.closest(SKIP) !== null;
  }

  /* The sentences of the text under ``root``, clipped to ``range`` when one is given.
     A sentence ends at 。！？； or where a paragraph, heading or list item ends. */
  function sentencesOf(root, range) {
    var found = [];
    var current = null;
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);

    function close() {
      if (current && current.text.replace(/\s+/g, "")) {
        var sentence = document.createRange();
        sentence.setStart(current.startNode, current.startOffset);
        sentence.setEnd(current.endNode, current.endOffset);
        found.push({ text: current.text.replace(/\s+/g, " ").trim(), range: sentence });
      }
      current = null;
    }

    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (skipped(node) || (range && !range.intersectsNode(node))) {
        continue;
      }
      var start = range && node === range.startContainer ? range.startOffset : 0;
      var end = range && node === range.endContainer ? range.endOffset : node.data.length;
      var block = blockOf(node);
      if (current && current.block !== block) {
        close();
      }
      for (var i = start; i < end; i += 1) {
        var character = node.data.charAt(i);
        if (!current) {
          if (/\s/.test(character)) {
            continue;
          }
          current = { text: "", startNode: node, startOffset: i, block: block };
        }
        current.text += character;
        current.endNode = node;
        current.endOffset = i + 1;
        if (SENTENCE_END.test(character)) {
          close();
        }
      }
    }
    close();
    return found;
  }

  function selectedSentences() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) {
      return [];
    }
    var range = selection.getRangeAt(0);
    var main = document.getElementById("main-content");
    if (!main || !main.contains(range.commonAncestorContainer)) {
      return [];
    }
    var root = range.commonAncestorContainer;
    return sentencesOf(root.nodeType === Node.TEXT_NODE ? root.parentNode : root, range);
  }

  function articleSentences() {
    var found = [];
    var parts = document.querySelectorAll(".article-title, .article-body");
    for (var i = 0; i < parts.length; i += 1) {
      found = found.concat(sentencesOf(parts[i], null));
    }
    return found;
  }

  /* --- Highlighting the sentence being read ---------------------------------------------- */
  function highlight(range) {
    if (window.CSS && CSS.highlights && typeof window.Highlight === "function") {
      CSS.highlights.set(HIGHLIGHT, new window.Highlight(range));
    }
    var box = range.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) {
      var element = range.startContainer.parentElement;
      if (element) {
        element.scrollIntoView({ block: "center" });
      }
    }
  }

  function clearHighlight() {
    if (window.CSS && CSS.highlights) {
      CSS.highlights.delete(HIGHLIGHT);
    }
  }

  /* --- Speaking ------------------------------------------------------------------------ */
  function speakFrom(index, ours) {
    if (ours !== session) {
      return;
    }
    if (index >= queue.length) {
      finish(status.getAttribute("data-text-done"));
      return;
    }
    var utterance = new window.SpeechSynthesisUtterance(queue[index].text);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.rate = RATE;
    utterance.onstart = function () {
      if (ours === session) {
        highlight(queue[index].range);
      }
    };
    utterance.onend = function () {
      speakFrom(index + 1, ours);
    };
    utterance.onerror = function (event) {
      // "interrupted" and "canceled" are our own stop; anything else ends the reading too.
      if (ours === session && event.error !== "interrupted" && event.error !== "canceled") {
        finish(status.getAttribute("data-text-done"));
      }
    };
    synth.speak(utterance);
  }

  function start() {
    var fromSelection = selectedSentences();
    queue = fromSelection.length ? fromSelection : articleSentences();
    if (!queue.length) {
      return;
    }
    synth.cancel();
    session += 1;
    show("playing");
    say(status.getAttribute(fromSelection.length ? "data-text-selection" : "data-text-article"));
    speakFrom(0, session);
  }

  function pause() {
    synth.pause();
    show("paused");
    say(status.getAttribute("data-text-paused"));
  }

  function resume() {
    synth.resume();
    show("playing");
    say("");
  }

  function finish(message) {
    session += 1;
    synth.cancel();
    clearHighlight();
    queue = [];
    show("idle");
    say(message || "");
  }

  /* --- The control ------------------------------------------------------------------------ */
  function say(message) {
    status.textContent = message;
  }

  function show(state) {
    var visible = {
      idle: ["start"],
      playing: ["pause", "stop"],
      paused: ["resume", "stop"],
    }[state];
    var focused = document.activeElement;
    var focusWasHere = focused && control.contains(focused);
    for (var name in buttons) {
      if (Object.prototype.hasOwnProperty.call(buttons, name)) {
        buttons[name].hidden = visible.indexOf(name) === -1;
      }
    }
    if (focusWasHere && focused.hidden) {
      buttons[visible[0]].focus(); // keep the keyboard where it was
    }
  }

  function offerIfVoiced() {
    voice = chineseVoice();
    control.hidden = voice === null;
    if (voice === null && queue.length) {
      finish("");
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    control = document.querySelector("[data-read-aloud]");
    if (!control) {
      return;
    }
    status = control.querySelector("[data-read-aloud-status]");
    ["start", "pause", "resume", "stop"].forEach(function (name) {
      buttons[name] = control.querySelector("[data-read-aloud-" + name + "]");
    });
    // A selection is lost when a tap moves focus on some phones: keep it from the press.
    buttons.start.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    buttons.start.addEventListener("click", start);
    buttons.pause.addEventListener("click", pause);
    buttons.resume.addEventListener("click", resume);
    buttons.stop.addEventListener("click", function () {
      finish("");
    });
    // Voices often arrive after the page has loaded.
    offerIfVoiced();
    synth.addEventListener("voiceschanged", offerIfVoiced);
    window.addEventListener("pagehide", function () {
      synth.cancel();
    });
  });
})();
