import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_SGD_SPIKE_DEMO_STATE,
  SGD_SPIKE_DEMO_URL_PARAMS,
  SGD_SPIKE_NUMERIC_FIELDS,
  SgdSpikeDemoStateSchema,
  mergeSgdSpikeDefaults,
  parseSgdSpikeDemoState,
  serializeSgdSpikeDemoState,
  validateSgdSpikeDemoState,
} from '../../../src/demos/sgd-spikes/sgdSpikeDemoState';

test('defaults: n=256, d=100, width 512, b=8, eta 0.6, seed 0, 300 steps; an empty URL gives them without notices', () => {
  assert.deepEqual(
    { ...DEFAULT_SGD_SPIKE_DEMO_STATE },
    { n: 256, d: 100, m: 512, b: 8, seed: 0, etaRatio: 0.6, maxSteps: 300 },
  );
  assert.doesNotThrow(() => SgdSpikeDemoStateSchema.parse(DEFAULT_SGD_SPIKE_DEMO_STATE));
  const { state, notices } = parseSgdSpikeDemoState('');
  assert.deepEqual(state, DEFAULT_SGD_SPIKE_DEMO_STATE);
  assert.deepEqual(notices, []);
  assert.deepEqual([...SGD_SPIKE_DEMO_URL_PARAMS], ['n', 'd', 'm', 'b', 'seed', 'eta', 'steps']);
});

test('b=0 is clamped to 1 and eta=abc falls back to the default, each with a notice', () => {
  const { state, notices } = parseSgdSpikeDemoState('?b=0&eta=abc');
  assert.equal(state.b, 1);
  assert.equal(state.etaRatio, 0.6);
  assert.deepEqual(notices, ['batch size 0 is below 1; using 1', 'eta=abc is not a number; using 0.6']);
});

test('a batch larger than n becomes b = n (full-batch GD) with a notice naming n', () => {
  const { state, notices } = parseSgdSpikeDemoState('n=64&b=100');
  assert.equal(state.n, 64);
  assert.equal(state.b, 64);
  assert.deepEqual(notices, ['batch size 100 is above n = 64; using 64']);
  // Clamped to its own range first, then to n.
  const big = parseSgdSpikeDemoState('b=5000');
  assert.equal(big.state.b, 256);
  assert.deepEqual(big.notices, [
    'batch size 5000 is above 1024; using 1024',
    'batch size 1024 is above n = 256; using 256',
  ]);
  assert.equal(mergeSgdSpikeDefaults({ n: 32, b: 64 }).b, 32);
});

test('non-integers are rounded, out-of-range values clamped, empty and non-finite values replaced', () => {
  const { state, notices } = parseSgdSpikeDemoState('n=3&b=7.6&eta=99&m=&steps=Infinity&seed=-4');
  assert.deepEqual(state, { n: 16, d: 100, m: 512, b: 8, seed: 0, etaRatio: 10, maxSteps: 300 });
  assert.deepEqual(notices, [
    'n (training points) 3 is below 16; using 16',
    'm= is not a number; using 512',
    'batch size 7.6 is not a whole number; using 8',
    'seed -4 is below 0; using 0',
    'eta 99 is above 10; using 10',
    'steps=Infinity is not a number; using 300',
  ]);
  assert.doesNotThrow(() => SgdSpikeDemoStateSchema.parse(state));
});

test('every field at its bounds is accepted unchanged (b at most n)', () => {
  for (const f of SGD_SPIKE_NUMERIC_FIELDS) {
    for (const v of [f.min, f.max]) {
      const q =
        f.key === 'b'
          ? `n=1024&b=${v}`
          : f.key === 'n' && v < DEFAULT_SGD_SPIKE_DEMO_STATE.b
            ? `n=${v}&b=1`
            : `${f.param}=${v}`;
      const { state, notices } = parseSgdSpikeDemoState(q);
      assert.equal(state[f.key], v, f.key);
      assert.deepEqual(notices, [], f.key);
    }
  }
});

test('URL round-trip: parse(serialize(s)) = s, defaults omitted, relative to a page’s own defaults', () => {
  const s = { n: 128, d: 20, m: 1024, b: 4, seed: 12345, etaRatio: 0.45, maxSteps: 2000 };
  const q = serializeSgdSpikeDemoState(s);
  assert.equal(q.toString(), 'n=128&d=20&m=1024&b=4&seed=12345&eta=0.45&steps=2000');
  assert.deepEqual(parseSgdSpikeDemoState(q), { state: s, notices: [] });
  assert.equal(serializeSgdSpikeDemoState(DEFAULT_SGD_SPIKE_DEMO_STATE).toString(), '');
  const base = { b: 16, etaRatio: 0.5 };
  const fromBase = parseSgdSpikeDemoState('', base).state;
  assert.equal(fromBase.b, 16);
  assert.equal(serializeSgdSpikeDemoState(fromBase, base).toString(), '');
  assert.equal(parseSgdSpikeDemoState('eta=zz', base).notices[0], 'eta=zz is not a number; using 0.5');
});

test('validating a state from code throws naming the field, its bounds and the fix; b > n is refused too', () => {
  assert.throws(
    () => serializeSgdSpikeDemoState({ ...DEFAULT_SGD_SPIKE_DEMO_STATE, b: 0 }),
    /^Error: serializeSgdSpikeDemoState: b = 0 must be valid \(an integer in 1\.\.1024\).*clamp untrusted input with parseSgdSpikeDemoState or mergeSgdSpikeDefaults/,
  );
  assert.throws(
    () => validateSgdSpikeDemoState({ ...DEFAULT_SGD_SPIKE_DEMO_STATE, etaRatio: NaN }),
    /etaRatio = null must be valid \(in 0\.05\.\.10\)/,
  );
  assert.throws(
    () => validateSgdSpikeDemoState({ ...DEFAULT_SGD_SPIKE_DEMO_STATE, n: 64, b: 128 }),
    /batch size 128 is above n = 64; using 64; clamp untrusted input/,
  );
  assert.equal(validateSgdSpikeDemoState(DEFAULT_SGD_SPIKE_DEMO_STATE).b, 8);
});

test('non-decimal numerals and repeated keys get notices (the default, or the first value)', () => {
  const { state, notices } = parseSgdSpikeDemoState('b=0x10&n=1e2&seed=%2B5&b=4');
  assert.deepEqual(state, DEFAULT_SGD_SPIKE_DEMO_STATE);
  assert.deepEqual(notices, [
    'n=1e2 is not a plain decimal number; using 256',
    'b is given 2 times in the link; using the first (0x10)',
    'b=0x10 is not a plain decimal number; using 8',
    'seed=+5 is not a plain decimal number; using 0',
  ]);
});
