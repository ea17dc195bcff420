/* The reader's text size (大 / 中 / 小) and 关怀版.
   Loaded in <head> so a stored text size applies before the page is painted. Without
   JavaScript the same buttons and links set the cookies on the server and come back;
   with it they change the page at once and write the same cookies. */
(function () {
  "use strict";

  var SIZES = ["small", "medium", "large"];
  var STORAGE_KEY = "portal.fontSize";
  var COOKIE = "font_size";
  var CARE_COOKIE = "care_mode";
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

  function setCookie(name, value) {
    // The server reads the cookie, so the next page is rendered with this choice too.
    var secure = window.location.protocol === "https:" ? "; Secure" : "";
    document.cookie = name + "=" + value + "; path=/; max-age=31536000; SameSite=Lax" + secure;
  }

  function remember(size) {
    try {
      window.localStorage.setItem(STORAGE_KEY, size);
    } catch (error) {
      // storage disabled: the cookie below is enough
    }
    setCookie(COOKIE, size);
  }

  /* 关怀版: one class on <html>; the link's text says what the next click does. */
  function switchCare(link) {
    var on = !root.classList.contains("care");
    root.classList.toggle("care", on);
    setCookie(CARE_COOKIE, on ? "on" : "off");
    link.textContent = link.getAttribute(on ? "data-text-leave" : "data-text-enter");
    link.href = link.href.replace(/([?&]care=)(on|off)/, "$1" + (on ? "off" : "on"));
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
    var careLinks = document.querySelectorAll("[data-care-switch]");
    for (var j = 0; j < careLinks.length; j += 1) {
      careLinks[j].addEventListener("click", function (event) {
        event.preventDefault();
        switchCare(this);
      });
    }
  });
})();
