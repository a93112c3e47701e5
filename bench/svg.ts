// Inline SVG charts for the HTML report, with no dependency: a line chart on log-log axes
// (throughput against message size) and a grouped bar chart on a log axis (latency
// percentiles, memory). Every point and bar has a <title>, so hovering shows its value.

export interface Series {
  label: string;
  color: string;
  dashed?: boolean;
  points: Array<[x: number, y: number]>; // missing points are simply absent
}

export interface LineChartOptions {
  title: string;
  yLabel: string;
  xTicks: Array<[x: number, label: string]>; // x is placed on a log scale
  series: Series[];
  width?: number;
  height?: number;
}

export interface BarChartOptions {
  title: string;
  yLabel: string;
  groups: string[]; // one cluster of bars per group
  series: Array<{ label: string; color: string; values: Array<number | undefined> }>;
  log?: boolean;
  width?: number;
  height?: number;
  format?: (value: number) => string;
}

const MARGIN = { top: 48, right: 16, bottom: 44, left: 64 };
const FONT = `font-family="system-ui, sans-serif"`;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** 1.2k, 35M, 0.5: short numbers for axes. */
export function shortNumber(value: number): string {
  const units: Array<[number, string]> = [[1e9, "G"], [1e6, "M"], [1e3, "k"]];
  for (const [scale, suffix] of units) if (Math.abs(value) >= scale) return `${trim(value / scale)}${suffix}`;
  return Math.abs(value) < 0.01 ? "≈0" : trim(value);
}

function trim(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1).replace(/\.0$/, "") : value.toPrecision(2).replace(/\.?0+$/, "");
}

/** A log10 scale over the data, widened to whole decades, with gridlines at 1, 2 and 5. */
function logScale(values: number[], from: number, to: number) {
  const positive = values.filter((v) => v > 0);
  let lo = Math.floor(Math.log10(Math.min(...positive, 1e300)));
  let hi = Math.ceil(Math.log10(Math.max(...positive, 1e-300)));
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (hi === lo) hi++;
  const at = (v: number) => from + ((Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo)) * (to - from);
  const ticks: Array<{ value: number; major: boolean }> = [];
  const steps = hi - lo <= 3 ? [1, 2, 5] : [1];
  for (let e = lo; e <= hi; e++) for (const m of steps) if (e < hi || m === 1) ticks.push({ value: m * 10 ** e, major: m === 1 });
  return { at, ticks };
}

function frame(width: number, height: number, title: string, yLabel: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ${FONT} font-size="11">`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="14" font-weight="600">${escapeXml(title)}</text>`,
    `<text transform="translate(14 ${(MARGIN.top + height - MARGIN.bottom) / 2}) rotate(-90)" text-anchor="middle" fill="#555">${escapeXml(yLabel)}</text>`,
    ...body,
    `</svg>`,
  ].join("\n");
}

function yAxis(scale: { at: (v: number) => number; ticks: Array<{ value: number; major: boolean }> }, width: number, format: (v: number) => string): string[] {
  return scale.ticks.map(({ value, major }) => {
    const y = scale.at(value).toFixed(1);
    const line = `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${y}" y2="${y}" stroke="${major ? "#ccc" : "#eee"}"/>`;
    const label = major || scale.ticks.length < 12 ? `<text x="${MARGIN.left - 6}" y="${y}" dy="4" text-anchor="end" fill="#555">${format(value)}</text>` : "";
    return line + label;
  });
}

/** One row of legend items between the title and the plot. */
function legend(items: Array<{ label: string; color: string; dashed?: boolean }>, x: number, y: number): string[] {
  let at = x;
  return items.map((item) => {
    const dash = item.dashed ? ` stroke-dasharray="5 3"` : "";
    const svg = `<line x1="${at}" x2="${at + 20}" y1="${y}" y2="${y}" stroke="${item.color}" stroke-width="2.5"${dash}/><text x="${at + 24}" y="${y + 4}">${escapeXml(item.label)}</text>`;
    at += 34 + item.label.length * 6;
    return svg;
  });
}

/** A linear scale from 0 with 4-6 round ticks (1, 2 or 5 times a power of ten apart). */
function linearScale(values: number[], from: number, to: number) {
  const max = Math.max(...values, 0) || 1;
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough)!;
  const top = Math.ceil(max / step) * step;
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => ({ value: i * step, major: true }));
  return { at: (v: number) => from + (v / top) * (to - from), ticks };
}

export function lineChart(options: LineChartOptions): string {
  const { width = 560, height = 320 } = options;
  const [left, right, top, bottom] = [MARGIN.left, width - MARGIN.right, MARGIN.top, height - MARGIN.bottom];
  const xs = options.xTicks.map(([x]) => Math.log2(x));
  const xAt = (x: number) => left + 20 + ((Math.log2(x) - Math.min(...xs)) / Math.max(1, Math.max(...xs) - Math.min(...xs))) * (right - left - 40);
  const y = logScale(options.series.flatMap((s) => s.points.map(([, v]) => v)), bottom, top);
  const body = yAxis(y, width, shortNumber);
  for (const [x, label] of options.xTicks) {
    body.push(`<text x="${xAt(x).toFixed(1)}" y="${bottom + 16}" text-anchor="middle" fill="#555">${escapeXml(label)}</text>`);
  }
  body.push(`<text x="${(left + right) / 2}" y="${height - 8}" text-anchor="middle" fill="#555">message size</text>`);
  body.push(`<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="none" stroke="#999"/>`);
  for (const s of options.series) {
    const points = s.points.filter(([, v]) => v > 0).map(([x, v]) => [xAt(x), y.at(v), x, v]);
    const path = points.map(([px, py], i) => `${i === 0 ? "M" : "L"}${px.toFixed(1)} ${py.toFixed(1)}`).join(" ");
    const dash = s.dashed ? ` stroke-dasharray="6 4"` : "";
    body.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2.5"${dash}/>`);
    for (const [px, py, x, v] of points) {
      const tip = `${s.label}, ${shortNumber(x)} B: ${shortNumber(v)} ${options.yLabel}`;
      body.push(`<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="3.5" fill="${s.color}"><title>${escapeXml(tip)}</title></circle>`);
    }
  }
  body.push(...legend(options.series, left, 34));
  return frame(width, height, options.title, options.yLabel, body);
}

export function barChart(options: BarChartOptions): string {
  const { width = 560, height = 300, format = shortNumber } = options;
  const [left, right, top, bottom] = [MARGIN.left, width - MARGIN.right, MARGIN.top, height - MARGIN.bottom];
  const values = options.series.flatMap((s) => s.values.filter((v): v is number => v !== undefined));
  const y = options.log ? logScale(values, bottom, top) : linearScale(values, bottom, top);
  const body = yAxis(y, width, shortNumber);
  const groupWidth = (right - left) / options.groups.length;
  const barWidth = Math.min(36, (groupWidth * 0.8) / options.series.length);
  options.groups.forEach((group, g) => {
    const center = left + groupWidth * (g + 0.5);
    body.push(`<text x="${center.toFixed(1)}" y="${bottom + 16}" text-anchor="middle" fill="#555">${escapeXml(group)}</text>`);
    options.series.forEach((s, i) => {
      const value = s.values[g];
      if (value === undefined) return;
      const x = center - (barWidth * options.series.length) / 2 + i * barWidth;
      const barTop = Math.min(y.at(value), bottom - 1);
      const tip = `${s.label}, ${group}: ${format(value)}`;
      body.push(
        `<rect x="${x.toFixed(1)}" y="${barTop.toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${(bottom - barTop).toFixed(1)}" fill="${s.color}"><title>${escapeXml(tip)}</title></rect>`,
        `<text x="${(x + barWidth / 2 - 1).toFixed(1)}" y="${(barTop - 3).toFixed(1)}" text-anchor="middle" font-size="9" fill="#333">${escapeXml(shortNumber(value))}</text>`,
      );
    });
  });
  body.push(`<line x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}" stroke="#999"/>`);
  body.push(...legend(options.series, left, 34));
  return frame(width, height, options.title, options.yLabel, body);
}
