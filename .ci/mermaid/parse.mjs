// Parse a Mermaid chart from standard input with mermaid's own parser; prints ok or the error.
// Installed and used by .ci/run (tests/test_tools.py: the rules chart must parse).
import { JSDOM } from "jsdom";
const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
const fs = await import("fs");
const text = fs.readFileSync(0, "utf8");
try {
  await mermaid.parse(text);
  console.log("ok");
} catch (e) {
  console.log("error: " + (e.message || e).toString().split("\n").slice(0,3).join(" | "));
  process.exit(1);
}
