/** Reading and writing <runKey>.model.json files (the format lives in src/experiments/modelFile.ts). */
import {
  parseModelFile,
  serializeModelFile,
  toModelFile,
  type ModelFile,
  type ModelInput,
} from '../../src/experiments/modelFile';
import { parseJsonStrict } from '../../src/experiments/jsonText';
import { readRegularFile } from '../../src/node/regularFile';
import { writeFileAtomic } from './atomicWrite';

/** Validates and atomically writes a trained shallow-ReLU model to `path`. */
export function writeModelFile(path: string, model: ModelInput): ModelFile {
  const file = toModelFile(model);
  writeFileAtomic(path, serializeModelFile(file));
  return file;
}

/** Reads and validates a model file; errors name the path and the bad field. */
export function readModelFile(path: string): ModelFile {
  let raw: unknown;
  try {
    raw = parseJsonStrict(readRegularFile(path));
  } catch (e) {
    throw new Error(`${path}: cannot read model file (${(e as Error).message})`);
  }
  return parseModelFile(raw, path);
}
