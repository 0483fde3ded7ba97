/** src/components/schematic/schematic.ts: the caption rule and the arrowheads of the schematic pictures. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arrowhead, schematicCaption, SCHEMATIC_CAPTION_WORDS } from '../../../../src/components/schematic/schematic';

test('a caption of up to the word limit passes; a longer or empty one fails naming the picture', () => {
  const words = (n: number) => Array.from({ length: n }, () => 'word').join(' ');
  assert.equal(schematicCaption(` ${words(SCHEMATIC_CAPTION_WORDS)} `, 'P'), words(SCHEMATIC_CAPTION_WORDS));
  assert.throws(
    () => schematicCaption(words(SCHEMATIC_CAPTION_WORDS + 1), 'AgopAlignment'),
    /AgopAlignment: .* 51 words/,
  );
  assert.throws(() => schematicCaption('  ', 'CatapultValley'), /CatapultValley: the caption is empty/);
});

test('an arrowhead has its tip at the end point and points along the approach', () => {
  const pts = arrowhead([0, 0], [10, 0], 4)
    .split(' ')
    .map((p) => p.split(',').map(Number));
  assert.deepEqual(pts[0], [10, 0]);
  // the base lies behind the tip, symmetric about the line of approach
  assert.ok(pts[1][0] < 10 && pts[2][0] < 10);
  assert.equal(pts[1][1], -pts[2][1]);
});
