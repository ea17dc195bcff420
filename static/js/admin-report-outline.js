/*
 * A long report on one change page: a table of contents above the sections, each section
 * and item folded to its heading line with a count of what it holds, and buttons to open
 * or fold everything. A report with more than a few items opens folded, except the parts
 * holding an error or not saved yet, so the page starts as an overview instead of
 * thousands of pixels of text boxes. Folding only hides (css/admin-report.css); every field
 * is still in the form and posted. Without JavaScript the page is simply all open.
 */
(function () {
  "use strict";

  var FOLD_ABOVE_ITEMS = 6;
  var SECTION_ID = /^sections-\d+$/;
  var ITEM_ID = /^sections-\d+-items-\d+$/;
  var SUB_ITEM_ID = /^sections-\d+-items-\d+-children-\d+$/;

  function forms(root, pattern) {
    return Array.prototype.filter.call(root.querySelectorAll(".djn-inline-form[id]"), function (form) {
      return pattern.test(form.id) && !form.classList.contains("djn-empty-form");
    });
  }

  function childForms(parent, pattern) {
    return forms(parent, pattern).filter(function (form) {
      return form.id.indexOf(parent.id + "-") === 0;
    });
  }

  function heading(form) {
    return form.querySelector(":scope > h3");
  }

  function fieldValue(form, name) {
    var field = form.querySelector('[name="' + form.id + "-" + name + '"]');
    if (!field) return "";
    if (field.tagName === "SELECT") {
      return field.value ? field.options[field.selectedIndex].text : "";
    }
    return field.value.trim();
  }

  function numberOf(form) {
    var cell = form.querySelector(":scope .field-number .readonly, :scope .field-number p");
    return cell ? cell.textContent.trim().replace("—", "") : "";
  }

  function titleOf(section) {
    return numberOf(section) + (fieldValue(section, "heading") || fieldValue(section, "kind") || "（未命名部分）");
  }

  function setFolded(form, folded) {
    form.classList.toggle("outline-folded", folded);
    var button = form.querySelector(":scope > h3 > .outline-toggle");
    if (button) {
      button.setAttribute("aria-expanded", folded ? "false" : "true");
      button.textContent = folded ? "展开" : "收起";
    }
  }

  function holdsWork(form) {
    // Errors to correct, or parts not saved yet, stay open.
    return form.querySelector(".errorlist, .errors") !== null || form.getAttribute("data-is-initial") === "false";
  }

  function decorate(form, countText) {
    var h3 = heading(form);
    if (!h3) return;
    var count = h3.querySelector(".outline-count");
    if (!count) {
      count = document.createElement("span");
      count.className = "outline-count";
      var toggle = document.createElement("button");
      toggle.type = "button";
      toggle.className = "outline-toggle";
      toggle.addEventListener("click", function () {
        setFolded(form, !form.classList.contains("outline-folded"));
      });
      h3.appendChild(count);
      h3.appendChild(toggle);
      setFolded(form, false);
    }
    if (count.textContent !== countText) count.textContent = countText;
  }

  function buildContents(group, sections) {
    var nav = document.getElementById("report-contents");
    if (!nav) {
      nav = document.createElement("nav");
      nav.id = "report-contents";
      nav.className = "report-contents";
      nav.setAttribute("aria-label", "报告目录");
      var title = document.createElement("h2");
      title.textContent = "目录";
      var actions = document.createElement("p");
      actions.className = "report-contents__actions";
      [["全部展开", false], ["全部收起", true]].forEach(function (spec) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button";
        button.textContent = spec[0];
        button.addEventListener("click", function () {
          forms(group, SECTION_ID).concat(forms(group, ITEM_ID)).forEach(function (form) {
            setFolded(form, spec[1]);
          });
        });
        actions.appendChild(button);
      });
      nav.appendChild(title);
      nav.appendChild(actions);
      nav.appendChild(document.createElement("ol"));
      group.parentNode.insertBefore(nav, group);
    }
    var list = nav.querySelector("ol");
    list.textContent = "";
    sections.forEach(function (section) {
      var entry = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + section.id;
      link.textContent = titleOf(section);
      link.addEventListener("click", function () {
        setFolded(section, false);
      });
      var count = document.createElement("span");
      count.className = "outline-count";
      count.textContent = "（" + childForms(section, ITEM_ID).length + " 个条目）";
      entry.appendChild(link);
      entry.appendChild(count);
      list.appendChild(entry);
    });
  }

  function refresh(group) {
    var sections = forms(group, SECTION_ID);
    sections.forEach(function (section) {
      var items = childForms(section, ITEM_ID);
      decorate(section, "（" + items.length + " 个条目）");
      items.forEach(function (item) {
        decorate(item, "（" + childForms(item, SUB_ITEM_ID).length + " 个下级条目）");
      });
    });
    buildContents(group, sections);
  }

  function start() {
    var group = document.getElementById("sections-group");
    if (!group) return;
    refresh(group);
    var sections = forms(group, SECTION_ID);
    if (forms(group, ITEM_ID).length > FOLD_ABOVE_ITEMS) {
      sections.forEach(function (section) {
        setFolded(section, !holdsWork(section));
      });
    }
    var pending = null;
    function movesRows(mutation) {
      return Array.prototype.some.call(mutation.addedNodes, isRow) || Array.prototype.some.call(mutation.removedNodes, isRow);
    }
    function isRow(node) {
      return node.nodeType === 1 && (node.classList.contains("djn-inline-form") || node.classList.contains("djn-item"));
    }
    new MutationObserver(function (mutations) {
      // Adding, removing or moving rows changes counts and titles; recount once per burst.
      if (pending || !mutations.some(movesRows)) return;
      pending = window.setTimeout(function () {
        pending = null;
        refresh(group);
      }, 100);
    }).observe(group, { childList: true, subtree: true });
    group.addEventListener("change", function () {
      refresh(group);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
