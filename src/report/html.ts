// The HTML around the charts: escaping, tables, and the page shell with its inline style. Nothing here
// fetches anything: the page is one file, readable offline and as a CI artifact.

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export type Cell = string | number | null;

/** A table; numbers (and number-like text such as "1,234" or "62.9") are right-aligned, null shows as a dash. Cells are escaped. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly Cell[]>, caption = ''): string {
  const cell = (value: Cell, tag: 'td' | 'th'): string =>
    value === null ? `<${tag} class="num">-</${tag}>`
      : typeof value === 'number' || /^-?[\d,.]+%?$/.test(value) ? `<${tag} class="num">${escapeHtml(String(value))}</${tag}>`
        : `<${tag}>${escapeHtml(value)}</${tag}>`;
  return [
    '<table>',
    caption === '' ? '' : `<caption>${escapeHtml(caption)}</caption>`,
    `<thead><tr>${header.map((title) => `<th>${escapeHtml(title)}</th>`).join('')}</tr></thead>`,
    `<tbody>${rows.map((row) => `<tr>${row.map((value) => cell(value, 'td')).join('')}</tr>`).join('\n')}</tbody>`,
    '</table>',
  ].join('\n');
}

/** Two columns, a name and its value, both read as text: no header row, left-aligned. */
export function keyValueTable(rows: ReadonlyArray<readonly [string, string | number]>): string {
  const body = rows.map(([key, value]) => `<tr><th scope="row">${escapeHtml(key)}</th><td>${escapeHtml(String(value))}</td></tr>`).join('\n');
  return `<table class="kv">\n<tbody>${body}</tbody>\n</table>`;
}

/** A chart: the SVG inline, with an id the browser test and a reader's links can use. */
export function figure(id: string, svg: string, caption: string): string {
  return `<figure id="${escapeHtml(id)}" class="chart">\n${svg}\n<figcaption>${escapeHtml(caption)}</figcaption>\n</figure>`;
}

export function section(id: string, title: string, body: string): string {
  return `<section id="${escapeHtml(id)}">\n<h2>${escapeHtml(title)}</h2>\n${body}\n</section>`;
}

const STYLE = `
body { font-family: Helvetica, Arial, sans-serif; color: #222; max-width: 1000px; margin: 24px auto; padding: 0 16px; line-height: 1.4; }
h1 { font-size: 24px; margin: 0 0 6px; }
h2 { font-size: 19px; margin: 32px 0 10px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
p.verdict { font-size: 16px; padding: 10px 12px; border-left: 5px solid #2a7d2a; background: #f2f8f2; margin: 10px 0 18px; }
p.verdict.bad { border-left-color: #c62828; background: #fdf1f1; }
p.note { color: #555; font-size: 14px; }
figure.chart { margin: 18px 0; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
figcaption { color: #555; font-size: 13px; margin-top: 4px; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 14px; }
caption { text-align: left; font-weight: bold; padding: 4px 0; }
th, td { border-bottom: 1px solid #e2e2e2; padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
table.kv th { background: none; font-weight: normal; color: #555; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
nav a { margin-right: 12px; }
code { font-size: 13px; }
`;

/** Marks a page as acmsim's, so `acmsim report` may replace it in a directory acmsim did not create. */
export const GENERATOR = 'acmsim';

/** The whole page. Deterministic: no date, no wall time, no absolute path. */
export function page(title: string, body: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta name="generator" content="${GENERATOR}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
