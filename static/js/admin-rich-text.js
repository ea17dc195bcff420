/*
 * Rich text in the report admin: a TipTap editor (static/vendor/tiptap/) over each rich-text
 * textarea (the preamble, section intros, item bodies), with a toolbar for bold, italic,
 * underline, headings, lists, quotes, tables and links.
 *
 * The textarea stays the form field. The editor's schema is exactly what reports/sanitize.py
 * keeps, and it writes its HTML back in the form the sanitizer emits (attribute order, a
 * no-break space as the character), so saving stores what the clerk saw, unchanged. A field
 * is written only when someone edits it: opening and saving a page changes nothing.
 * No inline script or style: the editor's look lives in css/admin-rich-text.css and TipTap's
 * own style injection is off, so the strict Content-Security-Policy holds. Without this
 * script, or without JavaScript, the plain textarea works as before.
 */
(function () {
  "use strict";

  var Tiptap = window.Tiptap;
  if (!Tiptap) {
    return;
  }

  // As reports/sanitize.py marks them: links to other sites (http, https) are also "external".
  var LINK_REL = "noopener noreferrer nofollow";
  var EXTERNAL = /^https?:/i;
  var ALLOWED_LINK = /^(https?:\/\/|mailto:|\/(?!\/)|#)/i;
  // Tables with a caption cannot be edited here without losing it: those fields stay plain.
  var UNSUPPORTED = /<caption[\s>]/i;
  var SELECTOR = "textarea[data-rich-text]";

  function spans(attributes) {
    var kept = {};
    if (attributes.colspan > 1) kept.colspan = attributes.colspan;
    if (attributes.rowspan > 1) kept.rowspan = attributes.rowspan;
    return kept;
  }

  // Cells keep only colspan and rowspan, as the sanitizer does.
  function cell(base, tag) {
    return base.extend({
      addAttributes: function () {
        return { colspan: { default: 1 }, rowspan: { default: 1 }, colwidth: { default: null, rendered: false } };
      },
      renderHTML: function (props) {
        return [tag, spans(props.node.attrs), 0];
      },
    });
  }

  var extensions = [
    Tiptap.StarterKit.configure({
      heading: { levels: [3, 4] },
      code: false,
      codeBlock: false,
      horizontalRule: false,
      strike: false,
      link: false,
      trailingNode: false,
    }),
    Tiptap.Link.extend({
      addAttributes: function () {
        return { href: { default: null }, title: { default: null } };
      },
      // href, title, rel: the sanitizer's order, so its output equals this.
      renderHTML: function (props) {
        var attributes = { href: props.HTMLAttributes.href };
        if (props.HTMLAttributes.title) attributes.title = props.HTMLAttributes.title;
        attributes.rel = EXTERNAL.test(attributes.href || "") ? "external " + LINK_REL : LINK_REL;
        return ["a", attributes, 0];
      },
    }).configure({
      openOnClick: false,
      autolink: false,
      linkOnPaste: false,
      isAllowedUri: function (url) {
        return ALLOWED_LINK.test(url || "");
      },
    }),
    Tiptap.Table.extend({
      renderHTML: function () {
        return ["table", ["tbody", 0]];
      },
    }).configure({ resizable: false }),
    Tiptap.TableRow,
    cell(Tiptap.TableHeader, "th"),
    cell(Tiptap.TableCell, "td"),
  ];

  // [label, command, state to show as pressed]
  var BUTTONS = [
    ["加粗", function (c) { return c.toggleBold(); }, "bold"],
    ["斜体", function (c) { return c.toggleItalic(); }, "italic"],
    ["下划线", function (c) { return c.toggleUnderline(); }, "underline"],
    ["小标题", function (c) { return c.toggleHeading({ level: 3 }); }, ["heading", { level: 3 }]],
    ["无序列表", function (c) { return c.toggleBulletList(); }, "bulletList"],
    ["有序列表", function (c) { return c.toggleOrderedList(); }, "orderedList"],
    ["引用", function (c) { return c.toggleBlockquote(); }, "blockquote"],
    ["链接", null, "link"],
    ["插入表格", function (c) { return c.insertTable({ rows: 3, cols: 3, withHeaderRow: true }); }, null],
    ["加一行", function (c) { return c.addRowAfter(); }, null, "table"],
    ["加一列", function (c) { return c.addColumnAfter(); }, null, "table"],
    ["删除行", function (c) { return c.deleteRow(); }, null, "table"],
    ["删除列", function (c) { return c.deleteColumn(); }, null, "table"],
    ["删除表格", function (c) { return c.deleteTable(); }, null, "table"],
    ["撤销", function (c) { return c.undo(); }, null],
    ["重做", function (c) { return c.redo(); }, null],
  ];

  function serialize(editor) {
    if (editor.isEmpty) {
      return "";
    }
    // The sanitizer writes a no-break space as the character, the browser as an entity.
    return editor.getHTML().replace(/&nbsp;/g, "\u00a0");
  }

  function labelOf(textarea) {
    var label = textarea.id && document.querySelector('label[for="' + textarea.id + '"]');
    return label ? label.textContent.replace(/[:：]\s*$/, "").trim() : "正文";
  }

  function askForLink(editor) {
    var current = editor.getAttributes("link").href || "";
    var href = window.prompt("链接地址（http、https、mailto 或本站以 / 开头的地址；留空则取消链接）：", current);
    if (href === null) {
      return;
    }
    href = href.trim();
    if (!href) {
      editor.chain().focus().extendMarkRange("link").unsetLink().run();
      return;
    }
    if (!ALLOWED_LINK.test(href)) {
      window.alert("只能链接 http、https、mailto 地址或本站以 / 开头的地址。");
      return;
    }
    editor.chain().focus().extendMarkRange("link").setLink({ href: href }).run();
  }

  function toolbar(editor, sourceButton) {
    var bar = document.createElement("div");
    bar.className = "rich-text__toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "格式");
    var buttons = BUTTONS.map(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "rich-text__button";
      button.textContent = spec[0];
      // A mouse press would move the focus to the button, and Tiptap gives it back to the text only on the next
      // animation frame: what is typed in between is lost. Keeping the focus in the text avoids that gap.
      button.addEventListener("mousedown", function (event) {
        event.preventDefault();
      });
      button.addEventListener("click", function () {
        if (spec[1] === null) {
          askForLink(editor);
        } else {
          spec[1](editor.chain().focus()).run();
        }
      });
      bar.appendChild(button);
      return { element: button, active: spec[2], needs: spec[3] };
    });
    bar.appendChild(sourceButton);
    function refresh() {
      var inTable = editor.isActive("table");
      buttons.forEach(function (button) {
        if (button.active) {
          var pressed = Array.isArray(button.active)
            ? editor.isActive(button.active[0], button.active[1])
            : editor.isActive(button.active);
          button.element.setAttribute("aria-pressed", pressed ? "true" : "false");
        }
        if (button.needs === "table") {
          button.element.disabled = !inTable;
        }
      });
    }
    editor.on("selectionUpdate", refresh);
    editor.on("transaction", refresh);
    refresh();
    return bar;
  }

  function attach(textarea) {
    if (textarea.dataset.richTextReady || /__prefix__|-empty-/.test(textarea.name)) {
      return;
    }
    textarea.dataset.richTextReady = "1";
    var wrapper = document.createElement("div");
    wrapper.className = "rich-text";
    textarea.parentNode.insertBefore(wrapper, textarea);
    wrapper.appendChild(textarea);
    if (UNSUPPORTED.test(textarea.value)) {
      var note = document.createElement("p");
      note.className = "rich-text__note";
      note.textContent = "这段文字含有表格标题，格式工具栏会丢失它，请直接编辑下面的 HTML。";
      wrapper.insertBefore(note, textarea);
      return;
    }
    var area = document.createElement("div");
    area.className = "rich-text__area";
    var editor = new Tiptap.Editor({
      element: area,
      extensions: extensions,
      content: textarea.value,
      injectCSS: false,
      editable: !textarea.disabled && !textarea.readOnly,
      editorProps: {
        attributes: {
          class: "rich-text__content",
          role: "textbox",
          "aria-multiline": "true",
          "aria-label": labelOf(textarea),
        },
      },
      onUpdate: function (props) {
        textarea.value = serialize(props.editor);
      },
    });
    var source = document.createElement("button");
    source.type = "button";
    source.className = "rich-text__button rich-text__source";
    source.textContent = "编辑 HTML";
    source.setAttribute("aria-pressed", "false");
    source.addEventListener("click", function () {
      var showing = textarea.hidden;
      if (!showing) {
        editor.commands.setContent(textarea.value, { emitUpdate: false });
      }
      textarea.hidden = !showing;
      area.hidden = showing;
      source.setAttribute("aria-pressed", showing ? "true" : "false");
    });
    wrapper.insertBefore(toolbar(editor, source), textarea);
    wrapper.insertBefore(area, textarea);
    textarea.hidden = true;
  }

  function attachAll(root) {
    if (root.matches && root.matches(SELECTOR)) {
      attach(root);
    }
    if (root.querySelectorAll) {
      root.querySelectorAll(SELECTOR).forEach(attach);
    }
  }

  function start() {
    attachAll(document);
    // Sections and items added on the page (nested_admin clones an empty form) get an editor too.
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) attachAll(node);
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
