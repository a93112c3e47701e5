// Renders the HTML page again from a saved JSON report (after changing html.ts, or to look at
// an old run):  node dist/bench/render.js bench/results/<time>.json
import * as fs from "node:fs";
import { writeHtml } from "./html";
import type { Report } from "./report";

const file = process.argv[2];
if (!file || !file.endsWith(".json")) {
  console.error("usage: node dist/bench/render.js bench/results/<time>.json");
  process.exit(2);
}
const report = JSON.parse(fs.readFileSync(file, "utf8")) as Report;
console.log(writeHtml(report, file.slice(0, -".json".length)));
