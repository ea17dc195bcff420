// Writes the licence of every package bundled into tiptap.min.js, for static/vendor/tiptap/LICENSES.txt.
const fs = require("fs");
const path = require("path");

const lock = JSON.parse(fs.readFileSync(path.join(__dirname, "package-lock.json"), "utf8"));
const bundled = Object.entries(lock.packages)
  .filter(([location, info]) => location.startsWith("node_modules/") && !info.dev)
  .map(([location, info]) => ({ name: location.slice("node_modules/".length), version: info.version, license: info.license }))
  .sort((a, b) => a.name.localeCompare(b.name));

const out = ["Third-party code in tiptap.min.js (built from vendor/tiptap/ by `make editor`).", ""];
for (const pkg of bundled) {
  const dir = path.join(__dirname, "node_modules", pkg.name);
  const file = fs.readdirSync(dir).find((name) => /^licen[cs]e/i.test(name));
  out.push("=".repeat(78), `${pkg.name} ${pkg.version} (${pkg.license})`, "=".repeat(78));
  out.push(file ? fs.readFileSync(path.join(dir, file), "utf8").trim() : `Licence: ${pkg.license} (no licence file in the package).`, "");
}
process.stdout.write(out.join("\n") + "\n");
