/** BatchOrder yields exactly the batches the Trainer records, ragged last batch and GD included. */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../src/lib/backend';
import { Prng } from '../../../src/lib/prng';
import { rank2Task, sampleTask } from '../../../src/lib/tasks';
import { createShallowNet } from '../../../src/lib/models/shallow';
import { Trainer } from '../../../src/lib/train';
import { BatchOrder } from '../../../src/lib/batchOrder';

before(async () => {
  await initBackend();
});

for (const [n, b, seed] of [
  [10, 4, 3],
  [12, 3, 0],
  [9, 9, 5],
  [7, 20, 1],
] as const) {
  test(`n = ${n}, b = ${b}, seed ${seed}: the Trainer's recorded batches, three epochs and more`, () => {
    const data = sampleTask(rank2Task(4), n, new Prng(1));
    const net = createShallowNet({ d: 4, m: 8, prng: new Prng(2) });
    const steps = 3 * Math.ceil(n / Math.min(b, n)) + 2;
    const trainer = new Trainer(net, data, {
      batchSize: b,
      seed,
      schedule: { kind: 'constant', eta: 1e-4 },
      maxSteps: steps,
      record: { every: 1, what: ['batchIndices'] },
    });
    while (!trainer.step().done);
    const recorded = trainer.getTrace().batchIndices!;
    trainer.dispose();
    net.dispose();
    const order = new BatchOrder(n, b, seed);
    assert.equal(recorded.length, steps);
    for (const batch of recorded) assert.deepEqual(order.next(), batch);
  });
}

test('bad sizes are refused naming the field', () => {
  assert.throws(() => new BatchOrder(0, 4), /n must be a positive integer/);
  assert.throws(() => new BatchOrder(10, 2.5), /batchSize must be a positive integer/);
});
