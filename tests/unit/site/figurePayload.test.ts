/**
 * src/site/figurePayload.ts and figurePayloadDecode.ts: a figure's one embedded copy of its data
 * decodes to the JSON download's object, and the CSV built from it in the browser is the CSV the
 * build would write from the original spec (gaps, NaN, ±Infinity and quoting included).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { figureClientPanels, figureCsv, type FigureSpec } from '../../../src/site/figure';
import { encodeFigurePayload } from '../../../src/site/figurePayload';
import { decodeFigurePayload } from '../../../src/site/figurePayloadDecode';

const spec: FigureSpec = {
  panels: [
    {
      title: 'loss, "raw"',
      xLabel: 'step',
      yLabel: 'loss',
      series: [
        { name: 'a', x: [0, 1, 2, 3], y: [0.1 + 0.2, null, NaN, Infinity], yLow: [1e-300, -0, 5e21, -Infinity] },
        { name: 'b\nnewline', x: [1, 2], y: [1 / 3, 2 / 3], points: true, pointLabels: ['r0', 'r1'] },
      ],
    },
  ],
};
const payload = {
  figure: 'Figure 1',
  label: 'fig-t',
  caption: 'c',
  experiments: ['e'],
  settings: {},
  spec,
  data: null,
};

test('the payload decodes to the JSON download byte for byte, and its CSV is the build-time CSV', () => {
  const decoded = decodeFigurePayload(encodeFigurePayload(payload)) as typeof payload;
  assert.equal(JSON.stringify(decoded, null, 1), JSON.stringify(payload, null, 1));
  assert.equal(figureCsv(decoded.spec), figureCsv(spec));
});

test('encoding is deterministic', () => {
  assert.equal(encodeFigurePayload(payload), encodeFigurePayload(structuredClone(payload)));
});

test('the client panels carry names and styles only, not the values (those are in the payload once)', () => {
  const panels = figureClientPanels(spec);
  const text = JSON.stringify(panels);
  assert.doesNotMatch(text, /"x":|"y":|"labels":|r0/);
  assert.deepEqual(
    panels[0].series.map((s) => s.points),
    [false, true],
  );
});
