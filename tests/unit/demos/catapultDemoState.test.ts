import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_CATAPULT_DEMO_STATE,
  CatapultDemoStateSchema,
  CATAPULT_NUMERIC_FIELDS,
  mergeCatapultDefaults,
  parseCatapultDemoState,
  serializeCatapultDemoState,
  validateCatapultDemoState,
} from '../../../src/demos/catapults-in-gd/catapultDemoState';

test('defaults: rank2, n=128, d=100, width 1024, eta 0.8 (below η_crit), seed 0, 400 steps, kernel every step', () => {
  assert.deepEqual(
    { ...DEFAULT_CATAPULT_DEMO_STATE },
    { task: 'rank2', n: 128, d: 100, m: 1024, seed: 0, etaRatio: 0.8, kernelEvery: 1, maxSteps: 400 },
  );
  assert.doesNotThrow(() => CatapultDemoStateSchema.parse(DEFAULT_CATAPULT_DEMO_STATE));
  const { state, notices } = parseCatapultDemoState('');
  assert.deepEqual(state, DEFAULT_CATAPULT_DEMO_STATE);
  assert.deepEqual(notices, []);
});

test('non-numeric eta falls back to the default with a notice', () => {
  const { state, notices } = parseCatapultDemoState('?eta=abc');
  assert.equal(state.etaRatio, 0.8);
  assert.deepEqual(notices, ['eta=abc is not a number; using 0.8']);
});

test('huge width is clamped to 4096 with a notice', () => {
  const { state, notices } = parseCatapultDemoState('m=1000000000');
  assert.equal(state.m, 4096);
  assert.deepEqual(notices, ['width 1000000000 is above 4096; using 4096']);
});

test('values below range, non-integers, empty values and bad tasks are corrected', () => {
  const { state, notices } = parseCatapultDemoState('n=3&seed=7.6&eta=0.001&task=mnist&kevery=&steps=Infinity');
  assert.equal(state.n, 16);
  assert.equal(state.seed, 8);
  assert.equal(state.etaRatio, 0.05);
  assert.equal(state.task, 'rank2');
  assert.equal(state.kernelEvery, 1);
  assert.equal(state.maxSteps, 400);
  assert.equal(notices.length, 6);
  assert.match(notices[0], /^task=mnist is not one of rank2, two-gaussian/);
  assert.ok(notices.some((s) => s === 'n (training points) 3 is below 16; using 16'));
  assert.ok(notices.some((s) => s === 'seed 7.6 is not a whole number; using 8'));
  assert.ok(notices.some((s) => s === 'eta 0.001 is below 0.05; using 0.05'));
  assert.ok(notices.some((s) => s === 'kevery= is not a number; using 1'));
  assert.ok(notices.some((s) => s === 'steps=Infinity is not a number; using 400'));
  assert.doesNotThrow(() => CatapultDemoStateSchema.parse(state));
});

test('every field at its bounds is accepted unchanged', () => {
  for (const f of CATAPULT_NUMERIC_FIELDS) {
    for (const v of [f.min, f.max]) {
      const { state, notices } = parseCatapultDemoState(`${f.param}=${v}`);
      assert.equal(state[f.key], v, f.key);
      assert.deepEqual(notices, [], f.key);
    }
  }
});

test('URL round-trip: parse(serialize(s)) = s, defaults are omitted', () => {
  const s = {
    task: 'two-gaussian',
    n: 64,
    d: 2,
    m: 2048,
    seed: 12345,
    etaRatio: 0.37,
    kernelEvery: 5,
    maxSteps: 1000,
  } as const;
  const q = serializeCatapultDemoState(s);
  assert.equal(q.toString(), 'task=two-gaussian&n=64&d=2&m=2048&seed=12345&eta=0.37&kevery=5&steps=1000');
  const back = parseCatapultDemoState(q);
  assert.deepEqual(back.state, s);
  assert.deepEqual(back.notices, []);
  assert.equal(serializeCatapultDemoState(DEFAULT_CATAPULT_DEMO_STATE).toString(), '');
});

test('a page can override defaults (base), and the URL stays relative to them', () => {
  const base = { m: 512, etaRatio: 0.5 };
  const { state } = parseCatapultDemoState('', base);
  assert.equal(state.m, 512);
  assert.equal(state.etaRatio, 0.5);
  assert.equal(serializeCatapultDemoState(state, base).toString(), '');
  assert.equal(parseCatapultDemoState('eta=zz', base).notices[0], 'eta=zz is not a number; using 0.5');
  assert.equal(mergeCatapultDefaults({ m: 10 ** 9 }).m, 4096);
});

test('serializing an invalid state throws naming the field, its bounds and the fix', () => {
  assert.throws(
    () => serializeCatapultDemoState({ ...DEFAULT_CATAPULT_DEMO_STATE, m: 1e9 }),
    /^Error: serializeCatapultDemoState: m = 1000000000 must be valid \(an integer in 64\.\.4096\).*clamp untrusted input with parseCatapultDemoState/,
  );
  assert.throws(
    () => validateCatapultDemoState({ ...DEFAULT_CATAPULT_DEMO_STATE, task: 'mnist' as 'rank2' }),
    /task = "mnist" must be valid \(one of rank2, two-gaussian\)/,
  );
  assert.equal(validateCatapultDemoState(DEFAULT_CATAPULT_DEMO_STATE).m, 1024);
});

test('two-Gaussian task: odd n is made even with a notice', () => {
  const { state, notices } = parseCatapultDemoState('task=two-gaussian&n=33');
  assert.equal(state.n, 34);
  assert.deepEqual(notices, ['n 33 is odd but the two-Gaussian task needs balanced classes; using 34']);
  assert.equal(parseCatapultDemoState('task=two-gaussian&n=512').state.n, 512);
  assert.equal(mergeCatapultDefaults({ task: 'two-gaussian', n: 17 }).n, 18);
});

test('hex, exponent and signed numerals are not read as numbers: a notice and the default', () => {
  const { state, notices } = parseCatapultDemoState('n=0x10&m=1e2&seed=%2B5&eta=0b1&kevery=0o7&steps=1_000');
  assert.deepEqual(
    {
      n: state.n,
      m: state.m,
      seed: state.seed,
      etaRatio: state.etaRatio,
      kernelEvery: state.kernelEvery,
      maxSteps: state.maxSteps,
    },
    { n: 128, m: 1024, seed: 0, etaRatio: 0.8, kernelEvery: 1, maxSteps: 400 },
  );
  assert.deepEqual(notices, [
    'n=0x10 is not a plain decimal number; using 128',
    'm=1e2 is not a plain decimal number; using 1024',
    'seed=+5 is not a plain decimal number; using 0',
    'eta=0b1 is not a plain decimal number; using 0.8',
    'kevery=0o7 is not a plain decimal number; using 1',
    'steps=1_000 is not a number; using 400',
  ]);
  // Plain decimals, negative ones and leading or trailing dots included, still read as numbers.
  assert.deepEqual(parseCatapultDemoState('eta=.5&n=64.&seed=007').state, {
    ...DEFAULT_CATAPULT_DEMO_STATE,
    etaRatio: 0.5,
    n: 64,
    seed: 7,
  });
  assert.equal(parseCatapultDemoState('seed=-3').notices[0], 'seed -3 is below 0; using 0');
});

test('a key given twice: the first value, with a notice', () => {
  const { state, notices } = parseCatapultDemoState('eta=0.5&eta=2&task=two-gaussian&task=rank2');
  assert.equal(state.etaRatio, 0.5);
  assert.equal(state.task, 'two-gaussian');
  assert.deepEqual(notices, [
    'task is given 2 times in the link; using the first (two-gaussian)',
    'eta is given 2 times in the link; using the first (0.5)',
  ]);
});

test('notices quote at most 40 characters of a value', () => {
  const long = '1'.repeat(10_000);
  for (const q of [`eta=x${long}`, `m=${long}`, `task=${long}`, `eta=${long}&eta=${long}`]) {
    const { notices } = parseCatapultDemoState(q);
    assert.ok(notices.length > 0, q.slice(0, 20));
    for (const n of notices) assert.ok(n.length < 120, `${n.length} characters: ${n.slice(0, 80)}`);
  }
  assert.equal(
    parseCatapultDemoState(`m=${long}`).notices[0],
    `m=${'1'.repeat(39)}… (10000 characters) is not a number; using 1024`,
  );
  assert.equal(
    parseCatapultDemoState(`m=${'1'.repeat(300)}`).notices[0],
    `width ${'1'.repeat(39)}… (300 characters) is above 4096; using 4096`,
  );
});
