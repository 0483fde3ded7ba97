/**
 * What a reader sees in the figures, measured in the browser on every page at 1280 px and 390 px:
 * every text box of a figure SVG lies inside its SVG and overlaps no other; no legend entry and no
 * label sits on plotted data (paths sampled point by point, markers by their boxes, reference lines);
 * every log axis has at least three labelled ticks; text is at least 11 px at its rendered size; on
 * desktop no SVG is scaled below its design size and every row of panels spans ~90 % of the text
 * column; no raw `_`/`^` notation in SVG text or captions. A full-page screenshot of each page at
 * each width goes to the test's output folder so a person can look.
 *
 * Violations are collected per check, written to violations.json beside the screenshots and
 * printed as one line of counts, then asserted empty (softly, so every check reports).
 */
import { writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { openLabNotes, PAGES } from './pages';

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

type Violations = Record<string, string[]>;

/** Runs in the page: measures every visible SVG of every figure. */
async function measureFigures(page: Page, desktop: boolean): Promise<Violations> {
  return page.evaluate((desktop) => {
    const v: Violations = {
      textOutsideSvg: [],
      textOverlap: [],
      legendOverData: [],
      labelOverData: [],
      logAxisTicks: [],
      fontSize: [],
      scaledDown: [],
      columnWidth: [],
      rawNotation: [],
      captionNotation: [],
    };
    const RAW = /[\p{L}\p{N})]_[\p{L}\p{N}{]|\^[\p{L}\p{N}{⊥*†′]/u;
    type Box = { left: number; right: number; top: number; bottom: number };
    const boxOf = (r: DOMRect): Box => ({ left: r.left, right: r.right, top: r.top, bottom: r.bottom });
    const inter = (a: Box, b: Box) =>
      Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) *
      Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
    const overlaps = (a: Box, b: Box, tol: number) =>
      Math.min(a.right, b.right) - Math.max(a.left, b.left) > tol &&
      Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > tol;
    const shrink = (b: Box, d: number): Box => ({
      left: b.left + d,
      right: b.right - d,
      top: b.top + d,
      bottom: b.bottom - d,
    });
    const contains = (b: Box, x: number, y: number) => x > b.left && x < b.right && y > b.top && y < b.bottom;
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0;
    };
    const txt = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ').trim();

    /** Clips the segment a–b to rectangle r (Liang–Barsky); null when it misses. */
    function clipSeg(
      a: [number, number],
      b: [number, number],
      r: { x0: number; y0: number; x1: number; y1: number },
    ): [[number, number], [number, number]] | null {
      let t0 = 0;
      let t1 = 1;
      const dx = b[0] - a[0];
      const dy = b[1] - a[1];
      for (const [p, q] of [
        [-dx, a[0] - r.x0],
        [dx, r.x1 - a[0]],
        [-dy, a[1] - r.y0],
        [dy, r.y1 - a[1]],
      ]) {
        if (p === 0) {
          if (q < 0) return null;
        } else {
          const t = q / p;
          if (p < 0) t0 = Math.max(t0, t);
          else t1 = Math.min(t1, t);
        }
      }
      if (t0 > t1) return null;
      return [
        [a[0] + t0 * dx, a[1] + t0 * dy],
        [a[0] + t1 * dx, a[1] + t1 * dy],
      ];
    }

    /** Points along a path in client coordinates, at most ~1.5 px apart, inside its clip rectangle (else the viewBox). */
    function samplePath(p: SVGGeometryElement): { x: number; y: number }[] {
      const ctm = p.getScreenCTM();
      if (!ctm) return [];
      const svg = p.ownerSVGElement!;
      const vb = svg.viewBox.baseVal;
      let r =
        vb && vb.width
          ? { x0: vb.x, y0: vb.y, x1: vb.x + vb.width, y1: vb.y + vb.height }
          : { x0: -1e4, y0: -1e4, x1: 1e4, y1: 1e4 };
      const cp = p.closest('[clip-path]')?.getAttribute('clip-path');
      const cid = cp && /url\(#([^)]+)\)/.exec(cp)?.[1];
      const crect = cid ? svg.querySelector(`clipPath[id="${cid}"] rect`) : null;
      if (crect) {
        const c = (crect as SVGRectElement).getBBox();
        r = {
          x0: Math.max(r.x0, c.x),
          y0: Math.max(r.y0, c.y),
          x1: Math.min(r.x1, c.x + c.width),
          y1: Math.min(r.y1, c.y + c.height),
        };
      }
      const user: [number, number][] = [];
      const d = p.getAttribute('d') ?? '';
      if (p.tagName === 'path' && /^[MLZ0-9.,\s+\-eE]*$/.test(d)) {
        // Straight segments only (what the figure engine writes): interpolate between vertices.
        let prev: [number, number] | null = null;
        let start: [number, number] | null = null;
        const re = /([MLZ])([^MLZ]*)/g;
        let m: RegExpExecArray | null;
        while ((m = re.exec(d))) {
          const nums = (m[2].match(/-?[\d.]+(?:e[-+]?\d+)?/gi) ?? []).map(Number);
          const pts: [number, number][] = [];
          for (let i = 0; i + 1 < nums.length; i += 2) pts.push([nums[i], nums[i + 1]]);
          if (m[1] === 'Z' && start) pts.push(start);
          pts.forEach((q, i) => {
            if (m![1] === 'M' && i === 0) {
              prev = q;
              start = q;
              return;
            }
            const seg = prev && clipSeg(prev, q, r);
            if (seg) {
              const [a, b] = seg;
              const n = Math.min(4000, Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / 1.5)));
              for (let k = 0; k <= n; k++) user.push([a[0] + ((b[0] - a[0]) * k) / n, a[1] + ((b[1] - a[1]) * k) / n]);
            }
            prev = q;
          });
        }
      } else {
        const len = p.getTotalLength();
        const n = Math.min(6000, Math.max(2, Math.ceil(len / 1.5)));
        for (let k = 0; k <= n; k++) {
          const q = p.getPointAtLength((len * k) / n);
          if (q.x >= r.x0 && q.x <= r.x1 && q.y >= r.y0 && q.y <= r.y1) user.push([q.x, q.y]);
        }
      }
      return user.map(([x, y]) => ({ x: ctm.a * x + ctm.c * y + ctm.e, y: ctm.b * x + ctm.d * y + ctm.f }));
    }

    for (const fig of document.querySelectorAll<HTMLElement>('figure.fig')) {
      const figName = fig.id || 'figure';
      let spec: { panels: { xScale?: string; yScale?: string }[] } | null = null;
      try {
        spec = JSON.parse(fig.querySelector('script.fig-data')?.textContent ?? 'null') ?? null;
      } catch {
        spec = null;
      }
      // The caption as drawn: KaTeX's MathML copy (with its TeX annotation) is for screen readers.
      const drawn = (fig.querySelector('figcaption') ?? fig).cloneNode(true) as Element;
      drawn.querySelectorAll('.katex-mathml').forEach((m) => m.remove());
      const cap = [txt(drawn), fig.querySelector('.panels')?.getAttribute('aria-label') ?? ''].join(' ');
      const capHits = cap.match(new RegExp(RAW.source, 'gu')) ?? [];
      for (const h of capHits) v.captionNotation.push(`${figName}: "${h}"`);
      const svgs = [...fig.querySelectorAll<SVGSVGElement>('svg')].filter(
        (s) => !s.parentElement?.closest('svg') && visible(s),
      );
      // The text column the figure sits in.
      const main = fig.closest('main') ?? document.body;
      const ms = getComputedStyle(main);
      const column = main.clientWidth - parseFloat(ms.paddingLeft) - parseFloat(ms.paddingRight);
      const rects = svgs.map((s) => s.getBoundingClientRect());
      svgs.forEach((svg, si) => {
        const name = `${figName}/${svg.id || si}`;
        const sr = rects[si];
        const vb = svg.viewBox.baseVal;
        const scale = vb && vb.width ? sr.width / vb.width : 1;
        if (desktop && vb && vb.width && sr.width < vb.width - 0.5)
          v.scaledDown.push(`${name}: ${sr.width.toFixed(0)} px of ${vb.width}`);
        if (desktop) {
          const row = rects.filter((r) => Math.abs(r.top - sr.top) < 4);
          const width = Math.max(...row.map((r) => r.right)) - Math.min(...row.map((r) => r.left));
          if (width < 0.9 * column)
            v.columnWidth.push(`${name}: row ${width.toFixed(0)} px of a ${column.toFixed(0)} px column`);
        }
        const texts = [...svg.querySelectorAll<SVGTextElement>('text')].filter(
          (t) => txt(t) !== '' && visible(t) && !t.closest('.readout'),
        );
        const boxes = texts.map((t) => boxOf(t.getBoundingClientRect()));
        const svgBox = boxOf(sr);
        texts.forEach((t, i) => {
          const b = boxes[i];
          if (
            b.left < svgBox.left - 0.5 ||
            b.right > svgBox.right + 0.5 ||
            b.top < svgBox.top - 0.5 ||
            b.bottom > svgBox.bottom + 0.5
          )
            v.textOutsideSvg.push(`${name}: "${txt(t)}"`);
          const size = parseFloat(getComputedStyle(t).fontSize) * scale;
          if (size < 11 - 0.01) v.fontSize.push(`${name}: "${txt(t)}" at ${size.toFixed(1)} px`);
          for (const el of [t, ...t.querySelectorAll('tspan')]) {
            const own = [...el.childNodes]
              .filter((n) => n.nodeType === 3)
              .map((n) => n.textContent)
              .join('');
            if (RAW.test(own) || (el === t && RAW.test(txt(t)))) {
              v.rawNotation.push(`${name}: "${txt(t)}"`);
              break;
            }
          }
          for (let j = i + 1; j < texts.length; j++) {
            if (overlaps(b, boxes[j], 1))
              v.textOverlap.push(`${name}: "${txt(t)}" × "${txt(texts[j])}" (${inter(b, boxes[j]).toFixed(0)} px²)`);
          }
        });
        const title = svg.querySelector('title');
        if (title && RAW.test(txt(title))) v.rawNotation.push(`${name}: title "${txt(title)}"`);

        // Plotted data: series paths (lines; bands excluded), markers (of point series and along lines), reference lines.
        const samples: { x: number; y: number; owner: Element | null }[] = [];
        const markerBoxes: Box[] = [];
        for (const p of svg.querySelectorAll<SVGGeometryElement>(
          'path.series, .series path, .series-marks path, line.ref',
        )) {
          if (p.closest('.legend, .legend-item, .readout') || !visible(p)) continue;
          const owner = p.closest('g.refline');
          for (const q of samplePath(p.tagName === 'line' ? lineAsPath(p as unknown as SVGLineElement) : p))
            samples.push({ ...q, owner });
        }
        for (const c of svg.querySelectorAll<SVGCircleElement>('.series circle, .series-marks circle'))
          if (!c.closest('.legend, .legend-item')) markerBoxes.push(boxOf(c.getBoundingClientRect()));
        const legendItems = [...svg.querySelectorAll('g.legend-item')];
        const items = legendItems.length ? legendItems : [...svg.querySelectorAll('g.legend')];
        for (const it of items) {
          if (!visible(it)) continue;
          const b = shrink(boxOf(it.getBoundingClientRect()), 0.5);
          const hit = samples.some((s) => contains(b, s.x, s.y)) || markerBoxes.some((m) => overlaps(b, m, 0.5));
          if (hit) v.legendOverData.push(`${name}: legend "${txt(it)}"`);
        }
        texts.forEach((t, i) => {
          if (t.closest('.legend, .legend-item')) return;
          const b = shrink(boxes[i], 1);
          const own = t.closest('g.refline');
          const hit =
            samples.some((s) => s.owner !== own && contains(b, s.x, s.y)) ||
            markerBoxes.some((m) => overlaps(b, m, 0.5));
          if (hit) v.labelOverData.push(`${name}: "${txt(t)}"`);
        });

        // Log axes: marked in the SVG (g.axis[data-scale=log] with text.tick labels); SVGs drawn
        // before that markup are read from the figure's embedded panels, ticks by their anchor and position.
        const axes = [...svg.querySelectorAll('g.axis[data-scale="log"], g.axis[data-scale="symlog"]')];
        if (axes.length || svg.querySelector('g.axis')) {
          for (const a of axes) {
            const n = [...a.querySelectorAll('text.tick')].filter((t) => txt(t) !== '').length;
            if (n < 3) v.logAxisTicks.push(`${name}: ${a.getAttribute('data-axis')} axis has ${n} labelled ticks`);
          }
        } else if (spec) {
          const k = Number(/-p(\d+)$/.exec(svg.id)?.[1] ?? NaN);
          const p = spec.panels[k];
          const direct = [...svg.children].filter((c) => c.tagName === 'text' && txt(c) !== '');
          if (p?.yScale === 'log') {
            const n = direct.filter((t) => t.getAttribute('text-anchor') === 'end').length;
            if (n < 3) v.logAxisTicks.push(`${name}: y axis has ${n} labelled ticks`);
          }
          if (p?.xScale === 'log') {
            const n = direct.filter(
              (t) => t.getAttribute('text-anchor') === 'middle' && !t.getAttribute('class'),
            ).length;
            if (n < 3) v.logAxisTicks.push(`${name}: x axis has ${n} labelled ticks`);
          }
        }
      });
    }
    return v;

    function lineAsPath(l: SVGLineElement): SVGGeometryElement {
      // Sample a <line> as a two-point path in the same coordinate system.
      const ns = 'http://www.w3.org/2000/svg';
      const p = document.createElementNS(ns, 'path');
      p.setAttribute(
        'd',
        `M${l.getAttribute('x1')},${l.getAttribute('y1')}L${l.getAttribute('x2')},${l.getAttribute('y2')}`,
      );
      l.parentElement!.appendChild(p);
      queueMicrotask(() => p.remove());
      return p;
    }
  }, desktop);
}

for (const vp of VIEWPORTS) {
  test.describe(`${vp.name} (${vp.width} px)`, () => {
    test.use({ viewport: { width: vp.width, height: vp.height } });
    for (const path of PAGES) {
      test(`${path}: figures are readable`, async ({ page }, testInfo) => {
        await page.goto(path, { waitUntil: 'load' });
        // Figures in lab notes are read as a reader who opens them sees them.
        await openLabNotes(page);
        await page.evaluate(() => document.fonts.ready);
        const slug = path === '/' ? 'home' : path.replace(/^\/|\/$/g, '').replace(/\//g, '-');
        await page.screenshot({ path: testInfo.outputPath(`${slug}-${vp.width}.png`), fullPage: true });
        const found = await measureFigures(page, vp.name === 'desktop');
        writeFileSync(testInfo.outputPath('violations.json'), JSON.stringify(found, null, 1));
        console.log(
          `${vp.width} ${path} ${Object.entries(found)
            .map(([k, list]) => `${k}=${list.length}`)
            .join(' ')}`,
        );
        for (const [check, list] of Object.entries(found)) expect.soft(list, check).toEqual([]);
      });
    }
  });
}

test.describe('read-out', () => {
  test('reports only the series with a point near the hovered x', async ({ page }) => {
    await page.goto('/chapters/sgd-spikes/');
    await openLabNotes(page);
    const svg = page.locator('figure#fig-sgd-anatomy svg.fig-panel').first();
    await svg.scrollIntoViewIfNeeded();
    const box = (await svg.boundingBox())!;
    const seen: string[] = [];
    for (let k = 1; k < 20; k++) {
      await page.mouse.move(box.x + box.width * (0.2 + (0.75 * k) / 20), box.y + box.height * 0.6);
      seen.push(await page.locator('figure#fig-sgd-anatomy .readout-text').innerText());
    }
    expect(
      seen.every((s) => /full loss/.test(s)),
      seen.join('\n'),
    ).toBe(true);
    expect(
      seen.some((s) => !/detected spike/.test(s)),
      'a spike marker listed at every x',
    ).toBe(true);
  });

  test('names the run of a hovered scatter point, and only that one', async ({ page }) => {
    await page.goto('/chapters/agop/');
    const svg = page.locator('figure#fig-agop-scatter svg.fig-panel').first();
    await svg.scrollIntoViewIfNeeded();
    const dot = (await svg.locator('.series circle').first().boundingBox())!;
    await page.mouse.move(dot.x + dot.width / 2, dot.y + dot.height / 2);
    const text = await page.locator('figure#fig-agop-scatter .readout-text').innerText();
    expect(text).toMatch(/rank[24]/);
    expect(text.match(/rank[24]/g)?.length ?? 0, text).toBe(1);
  });
});
