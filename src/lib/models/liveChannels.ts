/**
 * Dead-unit read-out for models that end in global average pooling of ReLU channels (CNN, ResNet):
 * a channel whose pooled output is 0 on every input gives its readout weight no gradient.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Number of columns of `pooled` (n × channels, ≥ 0) that are positive for at least one row; disposes `pooled`. */
export function countLiveColumns(pooled: tf.Tensor2D): number {
  const colMax = tf.max(pooled, 0);
  const v = colMax.dataSync();
  colMax.dispose();
  pooled.dispose();
  let live = 0;
  for (const x of v) if (x > 0) live++;
  return live;
}
