/* The reader's text size (大 / 中 / 小).
   Loaded in <head> so a stored choice applies before the page is painted. Without
   JavaScript the same buttons submit a form that sets the cookie on the server. */
(function () {
  "use strict";

  var SIZES = ["small", "medium", "large"];
  var STORAGE_KEY = "portal.fontSize";
  var COOKIE = "font_size";
  var root = document.documentElement;

  function storedSize() {
    try {
      var size = window.localStorage.getItem(STORAGE_KEY);
      return SIZES.indexOf(size) === -1 ? null : size;
    } catch (error) {
      return null; // storage disabled: the cookie still carries the choice
    }
  }

  function currentSize() {
    for (var i = 0; i < SIZES.length; i += 1) {
      if (root.classList.contains("font-" + SIZES[i])) {
        return SIZES[i];
      }
    }
    return "medium";
  }

  function showPressed(size) {
    var buttons = document.querySelectorAll("[data-font-size]");
    for (var i = 0; i < buttons.length; i += 1) {
      buttons[i].setAttribute("aria-pressed", buttons[i].value === size ? "true" : "false");
    }
  }

  function apply(size) {
    for (var i = 0; i < SIZES.length; i += 1) {
      root.classList.toggle("font-" + SIZES[i], SIZES[i] === size);
    }
    showPressed(size);
  }

  function remember(size) {
    try {
      window.localStorage.setItem(STORAGE_KEY, size);
    } catch (error) {
      // storage disabled: the cookie below is enough
    }
    // The server reads the cookie, so the next page is rendered at this size too.
    var secure = window.location.protocol === "https:" ? "; Secure" : "";
    document.cookie = COOKIE + "=" + size + "; path=/; max-age=31536000; SameSite=Lax" + secure;
  }

  var stored = storedSize();
  if (stored && stored !== currentSize()) {
    apply(stored);
    remember(stored);
  }

  document.addEventListener("DOMContentLoaded", function () {
    showPressed(currentSize());
    var buttons = document.querySelectorAll("[data-font-size]");
    for (var i = 0; i < buttons.length; i += 1) {
      buttons[i].addEventListener("click", function (event) {
        event.preventDefault();
        apply(this.value);
        remember(this.value);
      });
    }
  });
})();
