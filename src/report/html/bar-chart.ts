import { escapeHtml } from "../escape-html.js";

/** One bar: its label, its value, and a class that colours it. */
export interface Bar {
  label: string;
  value: number;
  kind?: string;
}

const WIDTH = 500;
const ROW = 26;
const LABEL_WIDTH = 220;
const COUNT_WIDTH = 44;

/**
 * A horizontal bar chart as inline SVG (no script, no network), with an accessible title. Labels are
 * cut to fit the label column; the full label stays in a <title> tooltip.
 */
export function renderBarChart(title: string, bars: readonly Bar[]): string {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const track = WIDTH - LABEL_WIDTH - COUNT_WIDTH;
  const height = Math.max(1, bars.length) * ROW;
  const rows = bars.map((bar, i) => {
    const y = i * ROW;
    const width = Math.max(bar.value > 0 ? 2 : 0, Math.round((bar.value / max) * track));
    const label = escapeHtml(bar.label);
    const kind = bar.kind === undefined ? "bar" : `bar ${escapeHtml(bar.kind)}`;
    return (
      `<g><title>${label}: ${bar.value}</title>` +
      `<text x="0" y="${y + 17}">${escapeHtml(shorten(bar.label, 34))}</text>` +
      `<rect class="track" x="${LABEL_WIDTH}" y="${y + 6}" width="${track}" height="14" rx="3"/>` +
      `<rect class="${kind}" x="${LABEL_WIDTH}" y="${y + 6}" width="${width}" height="14" rx="3"/>` +
      `<text class="count" x="${WIDTH - COUNT_WIDTH + 8}" y="${y + 17}">${bar.value}</text></g>`
    );
  });
  return `<svg viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeHtml(title)}" xmlns="http://www.w3.org/2000/svg">${rows.join("")}</svg>`;
}

/** Cuts a label to `limit` display columns (a CJK character counts as two). */
function shorten(label: string, limit: number): string {
  let width = 0;
  let out = "";
  for (const char of label) {
    width += /[\u2E80-\uFFEF]/.test(char) ? 2 : 1;
    if (width > limit) return `${out}…`;
    out += char;
  }
  return out;
}
