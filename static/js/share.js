/* Copy-link and print buttons. They need JavaScript, so they stay hidden without it;
   the WeChat QR code is a plain <details> and needs none. */
(function () {
  "use strict";

  function copyWithSelection(text) {
    var field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.className = "visually-hidden";
    document.body.appendChild(field);
    field.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    document.body.removeChild(field);
    return copied;
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return copyWithSelection(text); }
      );
    }
    return Promise.resolve(copyWithSelection(text));
  }

  document.addEventListener("DOMContentLoaded", function () {
    var status = document.querySelector("[data-copy-status]");
    var copyButtons = document.querySelectorAll("[data-copy-link]");
    for (var i = 0; i < copyButtons.length; i += 1) {
      copyButtons[i].hidden = false;
      copyButtons[i].addEventListener("click", function () {
        var url = this.getAttribute("data-copy-link");
        copy(url).then(function (copied) {
          if (status) {
            // The words come from the page, so a 繁體 page answers in 繁體.
            status.textContent = copied
              ? status.getAttribute("data-text-copied")
              : status.getAttribute("data-text-failed") + url;
          }
        });
      });
    }

    var printButtons = document.querySelectorAll("[data-print]");
    for (var j = 0; j < printButtons.length; j += 1) {
      printButtons[j].hidden = false;
      printButtons[j].addEventListener("click", function () {
        window.print();
      });
    }
  });
})();
