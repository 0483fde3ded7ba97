/**
 * Picks the fastest tfjs backend that initialises. Node precompute and browser demos both call
 * this; measured on our 2-core machine, wasm (SIMD) beats cpu ~40× on matmul and beats
 * software-rendered webgl in headless Chromium, so wasm comes first by default.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'wasm' | 'webgl' | 'cpu';

/** Tries each backend in order; returns the name of the one in use. Throws if none initialises. */
export async function initBackend(order: BackendName[] = ['wasm', 'cpu']): Promise<BackendName> {
  const errors: string[] = [];
  for (const name of order) {
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        return name;
      }
      errors.push(`${name}: setBackend returned false`);
    } catch (e) {
      errors.push(`${name}: ${(e as Error).message}`);
    }
  }
  throw new Error(`initBackend: no tfjs backend initialised (${errors.join('; ')})`);
}
