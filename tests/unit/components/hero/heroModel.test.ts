/** src/components/hero/heroModel.ts: the hero reruns the committed uv run and words each regime by the site's rule. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { heroNumber, heroRun, heroSentence, HERO_SLIDER } from '../../../../src/components/hero/heroModel';
import { heroInit } from '../../../../src/site/hero';
import { classifyRegime } from '../../../../src/lib/regime';
import { asVariant, getTrace } from '../../../../src/site/traces';
import { UV_TRAJECTORY_OUTPUTS } from '../../../../src/experiments/uvCatapult';

const init = heroInit();
const grid = Array.from(
  { length: Math.round((HERO_SLIDER.max - HERO_SLIDER.min) / HERO_SLIDER.step) + 1 },
  (_, i) => +(HERO_SLIDER.min + i * HERO_SLIDER.step).toFixed(10),
);

test('at the committed run’s η·λ₀ the hero redraws that run exactly', () => {
  const run = heroRun(init, init.etaLambda0);
  const t = asVariant(getTrace('uv-catapult', init.runKey), UV_TRAJECTORY_OUTPUTS);
  // series are stored to 7 significant digits, the summary in full
  const stored = (xs: number[]) => xs.map((v) => +v.toPrecision(7));
  assert.deepEqual(stored(run.trace.loss), t.series.loss);
  assert.deepEqual(stored(run.trace.lambda), t.series.lambda);
  assert.equal(run.trace.loss[run.peakStep], t.summary.peakLoss);
  assert.equal(run.peakStep, t.summary.peakStep);
});

test('the slider crosses all three regimes, in order, and its edges sit at 2/λ₀ and 4/λ₀', () => {
  const regimes = grid.map((v) => heroRun(init, v).regime);
  // regimes never go back: linear, then catapult, then diverged
  const order = { linear: 0, catapult: 1, diverged: 2 } as const;
  for (let i = 1; i < regimes.length; i++) assert.ok(order[regimes[i]] >= order[regimes[i - 1]], `${grid[i]}`);
  assert.deepEqual(new Set(regimes), new Set(['linear', 'catapult', 'diverged']));
  for (let i = 0; i < grid.length; i++) {
    if (grid[i] < 2) assert.equal(regimes[i], 'linear', `${grid[i]}`);
    if (regimes[i] === 'catapult') assert.ok(grid[i] > 2 && grid[i] < 4, `${grid[i]}`);
    if (grid[i] > 4) assert.equal(regimes[i], 'diverged', `${grid[i]}`);
  }
});

test('the regime is the site’s rule applied to the run’s loss', () => {
  for (const v of grid) {
    const run = heroRun(init, v);
    assert.equal(run.regime, classifyRegime(run.trace.loss, run.trace.divergedAt));
  }
});

test('each regime’s sentence says what the run did, no more', () => {
  const lazy = heroRun(init, HERO_SLIDER.min);
  assert.match(
    heroSentence(lazy, init),
    /^Linear: η is below 2\/λ₀ and the loss falls with no spike; λ ends at [\d.]+ % of λ₀, below 2\/η\.$/,
  );
  const cat = heroRun(init, init.etaLambda0);
  assert.equal(cat.regime, 'catapult');
  const s = heroSentence(cat, init);
  assert.match(
    s,
    /^Catapult: η is above 2\/λ₀, so the loss first rises, to [\d.]+× its start by step \d+, while λ drops/,
  );
  assert.ok(s.includes(`by step ${cat.peakStep}`) && s.includes(`to ${heroNumber(cat.peakRatio)}×`));
  assert.match(s, /below 2\/η\)\.$/);
  const div = heroRun(init, HERO_SLIDER.max);
  assert.match(
    heroSentence(div, init),
    /^Diverged: η is above 4\/λ₀, so λ cannot fall below 2\/η, and the loss does not come back down: it passes 10⁸ at step \d+\.$/,
  );
  // at 4/λ₀ itself λ stays put and the loss neither blows up nor comes back within the budget
  const edge = heroRun(init, 4);
  assert.equal(edge.regime, 'diverged');
  assert.match(heroSentence(edge, init), /η is at 4\/λ₀.*is still [\d.]+× its start after \d+ steps\.$/);
});

test('numbers read as three significant digits, large ones as powers of ten', () => {
  assert.equal(heroNumber(220.456), '220');
  assert.equal(heroNumber(1e8), '10⁸');
  assert.equal(heroNumber(2.5e9), '2.5×10⁹');
  assert.equal(heroNumber(Infinity), '∞');
});
