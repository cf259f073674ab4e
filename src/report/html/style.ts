/** The HTML report's stylesheet: inline, no web fonts, prints cleanly. */
export const STYLE = `
:root {
  --bg: #f5f6f8; --panel: #fff; --text: #1f2328; --muted: #656d76; --border: #d8dee4; --head: #f6f8fa;
  --error: #cf222e; --error-bg: #ffebe9; --warning: #9a6700; --warning-bg: #fff8c5; --warning-bar: #d4a72c;
  --info: #0969da; --info-bg: #ddf4ff; --accent: #0969da; --mark: #fff1a8; --new: #1a7f37; --new-bg: #dafbe1;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text);
  font: 14px/1.5 -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", sans-serif; }
header.top { background: #24292f; color: #fff; padding: 20px 32px; }
header.top h1 { margin: 0 0 4px; font-size: 20px; font-weight: 600; }
header.top .meta { color: #c9d1d9; font-size: 13px; }
header.top .meta span + span::before { content: "·"; margin: 0 8px; color: #8c959f; }
main { padding: 24px 32px 48px; max-width: 1600px; margin: 0 auto; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 12px; margin-bottom: 20px; }
.card { background: var(--panel); border: 1px solid var(--border); border-radius: 8px; padding: 12px 16px; }
.card .value { font-size: 26px; font-weight: 600; line-height: 1.2; }
.card .label { color: var(--muted); font-size: 12px; }
.card.error .value { color: var(--error); } .card.warning .value { color: var(--warning); }
.card.info .value { color: var(--info); } .card.new .value { color: var(--new); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(320px, 100%), 1fr)); gap: 12px; margin-bottom: 20px; align-items: start; }
section.panel { background: var(--panel); border: 1px solid var(--border); border-radius: 8px; padding: 14px 16px; margin-bottom: 20px; }
section.panel h2 { font-size: 15px; margin: 0 0 10px; font-weight: 600; }
.chart svg { width: 100%; max-width: 560px; height: auto; display: block; }
.chart text { font-size: 12px; fill: var(--text); }
.chart text.count { fill: var(--muted); }
.chart rect.track { fill: #eef1f4; }
.chart rect.bar { fill: var(--accent); }
.chart rect.bar.error { fill: var(--error); } .chart rect.bar.warning { fill: var(--warning-bar); } .chart rect.bar.info { fill: var(--info); }
.toolbar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 10px; }
.toolbar input[type=search] { flex: 1 1 280px; min-width: 0; }
.toolbar input, .toolbar select { font: inherit; padding: 5px 8px; border: 1px solid var(--border); border-radius: 6px; background: #fff; }
.toolbar .count { color: var(--muted); margin-left: auto; white-space: nowrap; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 8px 10px; border-bottom: 1px solid var(--border); }
thead th { background: var(--head); font-size: 12px; color: var(--muted); font-weight: 600; white-space: nowrap; position: sticky; top: 0; }
th button { all: unset; cursor: pointer; }
th button::after { content: " ↕"; color: #afb8c1; }
th[aria-sort=ascending] button::after { content: " ↑"; color: var(--text); }
th[aria-sort=descending] button::after { content: " ↓"; color: var(--text); }
th button:focus-visible { outline: 2px solid var(--accent); border-radius: 3px; }
tbody tr:hover { background: #f6f8fa; }
#listings { min-height: 1px; overflow-anchor: none; }
article.listing { border: 1px solid var(--border); border-radius: 8px; margin-bottom: 12px; overflow-wrap: anywhere; }
#listings-items { display: flow-root; }
.listing-head { padding: 8px 12px; background: var(--head); border-bottom: 1px solid var(--border); border-radius: 8px 8px 0 0; }
.listing-head .listing-title { margin-left: 8px; }
ol.findings { list-style: none; margin: 0; padding: 0; }
li.finding { padding: 8px 12px; border-top: 1px solid var(--border); display: grid; gap: 4px; }
li.finding:first-child { border-top: 0; }
.finding-head { display: flex; flex-wrap: wrap; gap: 6px; align-items: baseline; }
.claim .field { margin-right: 4px; }
details.folded summary { font-weight: 400; }
.pill { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.pill.error { color: var(--error); background: var(--error-bg); }
.pill.warning { color: var(--warning); background: var(--warning-bg); }
.pill.info { color: var(--info); background: var(--info-bg); }
.pill.new { color: var(--new); background: var(--new-bg); }
.pill.baselined { color: var(--muted); background: #eaeef2; }
.pill.fixed { color: var(--new); background: var(--new-bg); }
.rule { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; white-space: nowrap; }
.rule-title { font-weight: 600; }
.listing-id { font-weight: 600; word-break: break-all; }
.listing-title { color: var(--text); }
.where { color: var(--muted); font-size: 12px; word-break: break-all; }
.field { color: var(--muted); font-size: 12px; }
mark { background: var(--mark); color: inherit; padding: 0 2px; border-radius: 2px; font-weight: 600; }
ul.regions { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 2px 12px; }
ul.regions li { white-space: nowrap; }
.fee { font-variant-numeric: tabular-nums; color: var(--error); font-weight: 600; }
.template { color: var(--muted); font-size: 12px; }
.fix { margin-top: 6px; padding: 6px 8px; background: #f6f8fa; border-left: 3px solid var(--new); border-radius: 0 4px 4px 0; }
.fix strong { color: var(--new); font-weight: 600; }
.empty { color: var(--muted); padding: 16px 4px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
details summary { cursor: pointer; font-weight: 600; }
a { color: var(--accent); }
footer { color: var(--muted); font-size: 12px; text-align: center; padding: 16px; }
@media (max-width: 600px) { header.top { padding: 14px 16px; } main { padding: 12px 10px 32px; } section.panel { padding: 12px 10px; } .toolbar select { flex: 1 1 40%; min-width: 0; } .toolbar .count { margin-left: 0; } }
@media print { .toolbar { display: none; } header.top { background: none; color: var(--text); } thead th { position: static; } }
`;
