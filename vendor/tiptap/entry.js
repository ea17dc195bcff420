// The TipTap pieces the report admin's rich-text fields use, exposed as window.Tiptap.
// static/js/admin-rich-text.js configures them (schema, toolbar); nothing is configured here.
export { Editor } from "@tiptap/core";
export { Link } from "@tiptap/extension-link";
export { Table, TableCell, TableHeader, TableRow } from "@tiptap/extension-table";
export { StarterKit } from "@tiptap/starter-kit";
