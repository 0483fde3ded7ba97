/**
 * The CSV download of a figure: long format (panel, series, x, y[, yLow, yHigh]) of everything it
 * draws. Pure, no D3: the browser builds the download from the figure's one embedded copy of its
 * spec (figureClient.ts), and the build and the tests call the same function.
 */
import { csvField as q, csvNumber as v } from './csv';
import type { FigureSpec } from './figure';

/** Long-format CSV (panel, series, x, y[, yLow, yHigh]) of everything a figure draws. */
export function figureCsv(spec: FigureSpec): string {
  const rows = ['panel,series,x,y,yLow,yHigh'];
  // null (a gap, or a non-finite value after a JSON round trip), undefined, NaN and ±Infinity are empty cells.
  for (const p of spec.panels) {
    for (const s of p.series) {
      s.x.forEach((x, i) =>
        rows.push([q(p.title), q(s.name), v(x), v(s.y[i]), v(s.yLow?.[i]), v(s.yHigh?.[i])].join(',')),
      );
    }
  }
  return rows.join('\n') + '\n';
}
