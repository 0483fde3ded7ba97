/**
 * The chapters hold words and values, never a number-formatting call: every number in their prose is
 * formatted once, in the module that computes it (e.g. src/site/chapters/sgd-spikes/prose.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const FORMATTING = /\.toFixed\(|\.toPrecision\(|Math\.round\(|\.toLocaleString\(/;

test('no number formatting in content/chapters', () => {
  const dir = 'content/chapters';
  const found = readdirSync(dir)
    .filter((f) => f.endsWith('.mdx'))
    .flatMap((f) =>
      readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .map((line, i) => ({ at: `${dir}/${f}:${i + 1}`, line }))
        .filter(({ line }) => FORMATTING.test(line))
        .map(({ at, line }) => `${at}: ${line.match(FORMATTING)![0]}`),
    );
  assert.deepEqual(found, [], 'format the number where it is computed and interpolate the text');
});
