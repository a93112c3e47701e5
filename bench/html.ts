// The report as one self-contained HTML page (inline CSS and SVG, no script, no external
// asset), written next to the JSON and copied to bench/results/latest.html. Top to bottom:
// the targets at a glance, throughput against size per transport, latency percentiles,
// fan-out and memory, then every median with its ratio, then what failed.
import * as fs from "node:fs";
import * as path from "node:path";
import { formatRatio, formatValue, RESULTS_DIR, type Report } from "./report";
import type { Kind } from "./scenario";
import { formatSize } from "./sizes";
import type { Summary } from "./stats";
import { barChart, escapeXml as esc, lineChart, type Series } from "./svg";
import { describeTarget, formatActual, mark, type TargetResult } from "./targets";

const COLORS = ["#2563eb", "#ea580c"]; // first library blue, second orange
const PASS = "#15803d";
const FAIL = "#b91c1c";

type ReportScenario = Report["scenarios"][number];

export function writeHtml(report: Report, base: string): string {
  const html = renderHtml(report);
  fs.writeFileSync(`${base}.html`, html);
  fs.writeFileSync(path.join(RESULTS_DIR, "latest.html"), html);
  return `${base}.html`;
}

export function renderHtml(report: Report): string {
  const failed = report.runs.filter((r) => r.error).length;
  const sections = [
    targetsSection(report.targets),
    throughputSection(report),
    latencySection(report),
    otherCharts(report),
    tablesSection(report),
    problemsSection(report),
  ];
  const m = report.machine;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>omq bench ${esc(report.date)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1180px; color: #111; padding: 0 12px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; }
.meta { color: #555; } .grid { display: flex; flex-wrap: wrap; gap: 8px; }
table { border-collapse: collapse; margin: 6px 0 14px; } td, th { padding: 3px 9px; text-align: right; white-space: nowrap; }
th { background: #f3f4f6; } td.name, th.name { text-align: left; } tr.ratio td { color: #555; font-style: italic; border-bottom: 1px solid #ddd; }
.pass { color: ${PASS}; font-weight: 700; } .fail { color: ${FAIL}; font-weight: 700; } .note { color: #666; }
pre { background: #f8f8f8; padding: 8px; white-space: pre-wrap; font-size: 12px; }
</style></head><body>
<h1>omq vs ${esc(report.libs[1] ?? "")} — ${esc(report.date.replace("T", " ").slice(0, 19))} UTC</h1>
<div class="meta">commit ${esc(report.commit ?? "?")} · node ${esc(String(m.node))} · ${esc(String(m.cpus))} × ${esc(String(m.cpu))} ·
${esc(String(m.platform))} · median of ${report.rounds} round${report.rounds === 1 ? "" : "s"}, libraries alternating A B A B ·
${report.runs.length} runs, ${failed} failed · load average ${esc(loadText(report))}</div>
${sections.join("\n")}
</body></html>
`;
}

/** Load average at the start and the end (the bench itself keeps about 2 cores busy). */
function loadText(report: Report): string {
  const start = (report.options.loadAverageAtStart as number[] | undefined)?.[0];
  const end = (report.machine.loadAverage as number[] | undefined)?.[0];
  return [start, end].map((l) => (l === undefined ? "?" : l.toFixed(2))).join(" at the start, ") + " at the end";
}

function targetsSection(results: TargetResult[]): string {
  const measured = results.filter((r) => r.note !== "not run");
  if (measured.length === 0) return "";
  const passed = measured.filter((r) => r.pass).length;
  const rows = measured.map((r) => {
    const cls = r.pass === undefined ? "note" : r.pass ? "pass" : "fail";
    return `<tr><td class="name">${esc(r.target.label)}</td><td>${esc(describeTarget(r.target))}</td>
<td class="${cls}">${esc(formatActual(r))}</td><td class="${cls}">${mark(r)}</td><td>${gauge(r)}</td></tr>`;
  });
  return `<h2>Targets: ${passed} of ${measured.length} met</h2>
<table><tr><th class="name">target</th><th>goal</th><th>this run</th><th></th><th class="name">against the goal (log scale, goal ÷10 … ×10)</th></tr>
${rows.join("\n")}</table>`;
}

/** A bar from the goal (centre line) to the measured value, on a log scale. */
function gauge(result: TargetResult): string {
  const [w, h, mid] = [240, 16, 120];
  if (result.actual === undefined || !(result.actual > 0)) return "";
  const offset = Math.max(-1, Math.min(1, Math.log10(result.actual / result.target.value)));
  const x = mid + offset * (mid - 4);
  const color = result.pass ? PASS : FAIL;
  return `<svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><rect x="0" y="0" width="${w}" height="${h}" fill="#f3f4f6"/>
<rect x="${Math.min(x, mid).toFixed(1)}" y="3" width="${Math.max(2, Math.abs(x - mid)).toFixed(1)}" height="${h - 6}" fill="${color}"/>
<line x1="${mid}" x2="${mid}" y1="0" y2="${h}" stroke="#111" stroke-width="2"/></svg>`;
}

function byKind(report: Report, kind: Kind): Array<{ scenario: ReportScenario; summary: Summary }> {
  return report.scenarios
    .filter((s) => s.kind === kind)
    .map((scenario) => ({ scenario, summary: report.summaries.find((s) => s.scenario === scenario.name)! }));
}

function throughputSection(report: Report): string {
  const all = byKind(report, "throughput");
  if (all.length === 0) return "";
  const charts: string[] = [];
  for (const transport of ["tcp", "ipc", "inproc"]) {
    const mine = all.filter((x) => x.scenario.transport === transport);
    if (mine.length === 0) continue;
    const xTicks = mine.map(({ scenario }) => [scenario.size!, formatSize(scenario.size!)] as [number, string]);
    for (const unit of ["msg/s", "MB/s"]) {
      const series: Series[] = [];
      report.libs.forEach((lib, i) => {
        for (const side of ["recv", "send"]) {
          const points = mine.flatMap(({ scenario, summary }) => {
            const v = summary.medians[lib]?.[`${side} ${unit}`];
            return v === undefined ? [] : [[scenario.size!, v] as [number, number]];
          });
          series.push({ label: `${lib} ${side === "recv" ? "receiver" : "sender"}`, color: COLORS[i], dashed: side === "send", points });
        }
      });
      charts.push(lineChart({ title: `${transport}: ${unit} against message size`, yLabel: unit, xTicks, series }));
    }
  }
  return `<h2>Throughput, PUSH → PULL</h2>
<p class="note">Each side times itself: the sender until its last send() resolved (queued), the receiver until the last
message arrived. Solid: receiver, dashed: sender. Both axes logarithmic. MB = 10<sup>6</sup> bytes.</p>
<div class="grid">${charts.join("\n")}</div>`;
}

function latencySection(report: Report): string {
  const all = byKind(report, "latency");
  if (all.length === 0) return "";
  const groups = ["p50", "p90", "p99", "p99.9", "max"];
  const charts = all.map(({ scenario, summary }) =>
    barChart({
      title: scenario.name,
      yLabel: "µs, one way (log)",
      groups,
      log: true,
      format: (v) => `${v.toFixed(1)} µs`,
      series: report.libs.map((lib, i) => ({ label: lib, color: COLORS[i], values: groups.map((p) => summary.medians[lib]?.[`${p} µs`]) })),
    }),
  );
  return `<h2>Latency, REQ/REP</h2>
<p class="note">Every round trip timed with process.hrtime.bigint(); one-way = half the round trip; percentiles per run, median over the rounds.</p>
<div class="grid">${charts.join("\n")}</div>`;
}

function otherCharts(report: Report): string {
  const charts: string[] = [];
  const notes: string[] = [];
  const bars = (kind: Kind, title: string, yLabel: string, measures: string[], log = false) => {
    for (const { scenario, summary } of byKind(report, kind)) {
      const series = report.libs.map((lib, i) => ({ label: lib, color: COLORS[i], values: measures.map((m) => summary.medians[lib]?.[m]) }));
      charts.push(barChart({ title: `${title}: ${scenario.name}`, yLabel, groups: measures, series, log, width: 380 }));
      for (const why of Object.values(summary.skipped)) notes.push(`${scenario.name}: ${why}`);
    }
  };
  bars("fanout", "Fan-out", "msg/s (log)", ["send msg/s", "recv msg/s"], true);
  bars("alloc", "Receive path", "bytes per message", ["heap B/msg"]);
  bars("idle", "Idle connections", "KiB per connection", ["heap KiB/conn", "buffers KiB/conn", "RSS KiB/conn"]);
  if (charts.length === 0) return "";
  const noteHtml = notes.map((n) => `<p class="fail">${esc(n)}</p>`).join("");
  return `<h2>Fan-out and memory</h2>${noteHtml}<div class="grid">${charts.join("\n")}</div>`;
}

function tablesSection(report: Report): string {
  const tables: string[] = [];
  for (const kind of ["throughput", "latency", "fanout", "alloc", "idle", "io-threads"] as Kind[]) {
    const all = byKind(report, kind);
    if (all.length === 0) continue;
    const measures = all[0].scenario.measures;
    const head = `<tr><th class="name">scenario</th><th class="name">lib</th>${measures.map((m) => `<th>${esc(m.name)}</th>`).join("")}</tr>`;
    const rows: string[] = [];
    for (const { scenario, summary } of all) {
      report.libs.forEach((lib, i) => {
        const cells = measures.map((m) => {
          const v = summary.medians[lib]?.[m.name];
          const range = summary.ranges[lib]?.[m.name];
          const title = range ? ` title="min ${formatValue(m, range[0])}, max ${formatValue(m, range[1])}"` : "";
          return `<td${title}>${v === undefined ? (summary.skipped[lib] ? "skipped" : "failed") : esc(formatValue(m, v))}</td>`;
        });
        const name = i === 0 ? esc(scenario.name) : "";
        rows.push(`<tr><td class="name">${name}</td><td class="name" style="color:${COLORS[i]}">${esc(lib)}</td>${cells.join("")}</tr>`);
      });
      if (report.libs.length === 2) {
        const cells = measures
          .map((m) => {
            const ratio = summary.ratio?.[m.name];
            // Green where the first library does better, red where it does worse.
            const better = ratio === undefined || ratio === 1 ? undefined : (ratio > 1) === (m.better === "higher");
            const color = better === undefined ? "" : ` style="color:${better ? PASS : FAIL}"`;
            return `<td${color}>${esc(formatRatio(ratio))}</td>`;
          })
          .join("");
        rows.push(`<tr class="ratio"><td></td><td class="name">${esc(report.libs.join("/"))}</td>${cells}</tr>`);
      }
    }
    tables.push(`<table>${head}\n${rows.join("\n")}</table>`);
  }
  return `<h2>All medians and ratios</h2><p class="note">Hover a value for its range over the rounds.</p>${tables.join("\n")}`;
}

function problemsSection(report: Report): string {
  const lines = report.runs.flatMap((r) => {
    const who = `${r.scenario}, ${r.lib}, round ${r.round}`;
    return [
      ...(r.error ? [`FAILED ${who}: ${r.error}`] : []),
      ...(r.warnings ?? []).map((w) => `warning ${who}: ${w}`),
    ];
  });
  if (lines.length === 0) return "";
  return `<h2>Failures and warnings</h2><pre>${esc(lines.join("\n\n"))}</pre>`;
}
