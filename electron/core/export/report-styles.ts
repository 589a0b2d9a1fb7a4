/**
 * The report's one style sheet (inline: the CSP allows inline style and nothing else). The palette
 * is the app's: light by default, dark under prefers-color-scheme: dark, and light with plain
 * borders in print whatever the screen used. Chart colours are classes on SVG shapes.
 */
export const REPORT_CSS = `
:root {
  color-scheme: light dark;
  --bg: #f4f6f8;
  --bg-elev: #ffffff;
  --fg: #1b1f24;
  --fg-muted: #57606a;
  --border: #d3d8df;
  --accent: #1d4ed8;
  --ok: #15803d;
  --warn: #b45309;
  --error: #c62828;
  --chart-ok: #15803d;
  --chart-failed: #dc2626;
  --chart-warn: #d97706;
  --chart-redirect: #2563eb;
  --chart-info: #6b7280;
  --chart-none: #7c3aed;
  --chart-p50: #2563eb;
  --chart-p95: #c2410c;
  --chart-p99: #be185d;
  --chart-hist: #4f46e5;
  --chart-grid: #e2e5ea;
  --chart-axis: #b4bcc6;
  --chart-text: #57606a;
  --font-sans: system-ui, -apple-system, 'Segoe UI', Roboto, Ubuntu, Cantarell, 'Noto Sans', sans-serif;
  --font-mono: ui-monospace, 'SFMono-Regular', 'Cascadia Mono', 'DejaVu Sans Mono', Menlo, Consolas, monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1318;
    --bg-elev: #171c23;
    --fg: #e6e9ee;
    --fg-muted: #9ba5b1;
    --border: #2b333e;
    --accent: #6ea8fe;
    --ok: #4ade80;
    --warn: #fbbf24;
    --error: #f87171;
    --chart-ok: #4ade80;
    --chart-failed: #f87171;
    --chart-warn: #fbbf24;
    --chart-redirect: #60a5fa;
    --chart-info: #9ca3af;
    --chart-none: #c084fc;
    --chart-p50: #60a5fa;
    --chart-p95: #fb923c;
    --chart-p99: #f472b6;
    --chart-hist: #818cf8;
    --chart-grid: #30363d;
    --chart-axis: #3d4754;
    --chart-text: #9ba3ad;
  }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body {
  margin: 0 auto;
  padding: 24px 24px 48px;
  max-width: 1100px;
  font: 14px/1.45 var(--font-sans);
}
h1 { margin: 0 0 4px; font-size: 24px; line-height: 1.25; overflow-wrap: anywhere; }
h2 { margin: 0 0 12px; font-size: 17px; }
h3 { margin: 0 0 6px; font-size: 14px; }
p { margin: 0 0 8px; }
a { color: var(--accent); }
code, .mono { font-family: var(--font-mono); font-size: 12.5px; }
.muted { color: var(--fg-muted); }
.kicker { margin: 0 0 2px; color: var(--fg-muted); font-size: 12px; font-weight: 600; letter-spacing: 0.06em; text-transform: uppercase; }
.note { margin: 8px 0 0; padding: 8px 12px; border-left: 3px solid var(--border); white-space: pre-wrap; overflow-wrap: anywhere; }
.notice { margin: 12px 0 0; padding: 8px 12px; border: 1px solid var(--warn); border-radius: 6px; }
header { margin-bottom: 20px; }
section {
  margin: 0 0 20px;
  padding: 16px 18px;
  border: 1px solid var(--border);
  border-radius: 8px;
  background: var(--bg-elev);
  break-inside: avoid;
}
section.long { break-inside: auto; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px 16px; margin: 0; }
.figures div { min-width: 0; }
.figures dt { color: var(--fg-muted); font-size: 12px; }
.figures dd { margin: 0; font-size: 18px; font-weight: 600; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.figures dd small { color: var(--fg-muted); font-size: 12px; font-weight: 400; }
.figures + h3 { margin-top: 16px; }
.ok { color: var(--ok); }
.failed { color: var(--error); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 16px; }
figure { margin: 0; min-width: 0; break-inside: avoid; }
figcaption { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 14px; margin-bottom: 4px; }
figcaption strong { margin-right: auto; }
.key { display: inline-flex; align-items: center; gap: 5px; color: var(--fg-muted); font-size: 12px; }
.key::before { content: ''; display: inline-block; width: 14px; height: 3px; border-radius: 2px; background: currentColor; }
.key span { color: var(--fg-muted); }
.key.c-ok { color: var(--chart-ok); }
.key.c-failed { color: var(--chart-failed); }
.key.c-p50 { color: var(--chart-p50); }
.key.c-p95 { color: var(--chart-p95); }
.key.c-p99 { color: var(--chart-p99); }
.key.c-hist { color: var(--chart-hist); }
.key.c-redirect { color: var(--chart-redirect); }
.key.c-warn { color: var(--chart-warn); }
.key.c-none { color: var(--chart-none); }
.empty { padding: 32px 0; color: var(--fg-muted); text-align: center; }
svg.chart { display: block; width: 100%; height: auto; overflow: visible; }
svg .grid { stroke: var(--chart-grid); stroke-width: 1; }
svg .axis { stroke: var(--chart-axis); stroke-width: 1; }
svg .tick { fill: var(--chart-text); font-size: 10.5px; font-family: var(--font-sans); }
svg .axis-label { fill: var(--chart-text); font-size: 11.5px; font-family: var(--font-sans); }
svg .line { fill: none; stroke-width: 1.75; stroke-linejoin: round; stroke-linecap: round; }
svg .area { stroke: none; fill-opacity: 0.16; }
svg .marker { stroke-width: 1.5; stroke-dasharray: 4 3; }
svg .c-ok { stroke: var(--chart-ok); fill: var(--chart-ok); }
svg .c-failed { stroke: var(--chart-failed); fill: var(--chart-failed); }
svg .c-warn { stroke: var(--chart-warn); fill: var(--chart-warn); }
svg .c-redirect { stroke: var(--chart-redirect); fill: var(--chart-redirect); }
svg .c-info { stroke: var(--chart-info); fill: var(--chart-info); }
svg .c-none { stroke: var(--chart-none); fill: var(--chart-none); }
svg .c-p50 { stroke: var(--chart-p50); fill: var(--chart-p50); }
svg .c-p95 { stroke: var(--chart-p95); fill: var(--chart-p95); }
svg .c-p99 { stroke: var(--chart-p99); fill: var(--chart-p99); }
svg .c-hist { stroke: none; fill: var(--chart-hist); fill-opacity: 0.85; }
svg .line.c-ok, svg .line.c-failed, svg .line.c-p50, svg .line.c-p95 { fill: none; }
svg .bar { stroke: none; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 6px 8px; border-bottom: 1px solid var(--border); text-align: left; vertical-align: top; }
th { color: var(--fg-muted); font-size: 12px; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr { break-inside: avoid; }
.url { font-family: var(--font-mono); font-size: 12px; overflow-wrap: anywhere; word-break: break-all; }
.title { display: block; color: var(--fg-muted); font-size: 12px; overflow-wrap: anywhere; }
.samples { margin: 4px 0 0; padding-left: 18px; }
.failures th.hosts { width: 20%; }
.failures th.samples-head { width: 30%; }
.failures th.code-head { width: 34%; }
.advice { margin: 2px 0 0; color: var(--fg-muted); font-size: 12.5px; }
.code { font-family: var(--font-mono); font-weight: 600; font-size: 12.5px; white-space: nowrap; }
.settings { columns: 3 300px; column-gap: 24px; }
.settings > div { break-inside: avoid; margin-bottom: 14px; }
.settings table td:first-child { color: var(--fg-muted); width: 45%; }
ul.changes { margin: 8px 0 0; padding-left: 18px; }
#spider .charts { margin-top: 16px; grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); }
#spider h3 { margin: 18px 0 6px; }
#spider td time { white-space: nowrap; }
.pre { white-space: pre-wrap; overflow-wrap: anywhere; }
footer { margin-top: 24px; color: var(--fg-muted); font-size: 12px; }
@media print {
  :root {
    --bg: #ffffff; --bg-elev: #ffffff; --fg: #000000; --fg-muted: #444444; --border: #bbbbbb;
    --accent: #000000; --ok: #11652f; --warn: #8a4b00; --error: #a11d1d;
    --chart-ok: #15803d; --chart-failed: #dc2626; --chart-warn: #b45309; --chart-redirect: #2563eb;
    --chart-info: #6b7280; --chart-none: #7c3aed; --chart-p50: #2563eb; --chart-p95: #c2410c;
    --chart-p99: #be185d; --chart-hist: #4f46e5; --chart-grid: #dddddd; --chart-axis: #999999;
    --chart-text: #333333;
  }
  html { color-scheme: light; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  section { padding: 0; border: 0; border-radius: 0; margin-bottom: 18pt; }
  .charts, #spider .charts { grid-template-columns: 1fr 1fr; }
  a { text-decoration: none; }
  h2 { break-after: avoid; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
@page { margin: 14mm; }
`
