/**
 * The exported trained shallow net: f(x) = (1/√m) Σ_j v_j relu(U_j·x/√d), NTK parameterisation,
 * no bias. Written as <runKey>.model.json next to its trace. Pure schema + (de)serialisation.
 */
import { z } from 'zod';
import { roundSignificant, stableStringify } from './trace';

/** Zod schema of a <runKey>.model.json file: exactly these members, U is m×d, v has m entries. */
const modelFileSchema = z
  .object({
    kind: z.literal('shallow-relu-ntk'),
    d: z.number().int().positive(),
    m: z.number().int().positive(),
    bias: z.literal(false),
    U: z.array(z.array(z.number())),
    v: z.array(z.number()),
    task: z.string().min(1),
    metrics: z.object({
      agopAlignment: z.number(),
      testLoss: z.number(),
      trainLoss: z.number(),
    }),
  })
  .strict()
  .superRefine((f, ctx) => {
    if (f.U.length !== f.m)
      ctx.addIssue({ code: 'custom', path: ['U'], message: `U has ${f.U.length} rows but m = ${f.m}` });
    f.U.forEach((row, j) => {
      if (row.length !== f.d)
        ctx.addIssue({ code: 'custom', path: ['U', j], message: `row ${j} has ${row.length} entries but d = ${f.d}` });
    });
    if (f.v.length !== f.m)
      ctx.addIssue({ code: 'custom', path: ['v'], message: `v has ${f.v.length} entries but m = ${f.m}` });
    // JSON such as 1e999 parses to Infinity, which a zod 3 number accepts: weights must be finite.
    const finite = (x: number, path: (string | number)[]) => {
      if (!Number.isFinite(x)) ctx.addIssue({ code: 'custom', path, message: `${x} is not a finite number` });
    };
    f.U.forEach((row, j) => row.forEach((x, k) => finite(x, ['U', j, k])));
    f.v.forEach((x, j) => finite(x, ['v', j]));
  });
export type ModelFile = z.infer<typeof modelFileSchema>;

/** Input of writeModelFile: U as m rows of d numbers (or row-major m·d), v of length m. */
export interface ModelInput {
  d: number;
  m: number;
  U: ArrayLike<number>[] | ArrayLike<number>;
  v: ArrayLike<number>;
  task: string;
  metrics: { agopAlignment: number; testLoss: number; trainLoss: number };
}

/** Builds a validated ModelFile (weights rounded to 7 significant digits, like series). */
export function toModelFile(input: ModelInput): ModelFile {
  const { d, m } = input;
  const rows: number[][] = [];
  const isRowList = Array.isArray(input.U) && input.U.length > 0 && typeof input.U[0] !== 'number';
  for (let j = 0; j < m; j++) {
    const row: number[] = [];
    for (let k = 0; k < d; k++) {
      const x = isRowList ? (input.U as ArrayLike<number>[])[j]?.[k] : (input.U as ArrayLike<number>)[j * d + k];
      row.push(roundSignificant(Number(x)));
    }
    rows.push(row);
  }
  const candidate = {
    kind: 'shallow-relu-ntk' as const,
    d,
    m,
    bias: false as const,
    U: rows,
    v: Array.from(input.v, (x) => roundSignificant(x)),
    task: input.task,
    metrics: { ...input.metrics },
  };
  return parseModelFile(candidate, 'model');
}

/** Validates a parsed model object; the error names `source` and the first bad field. */
export function parseModelFile(raw: unknown, source: string): ModelFile {
  const r = modelFileSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`${source}: not a valid model file: field "${issue.path.join('.') || '(root)'}": ${issue.message}`);
  }
  return r.data;
}

/** Text of a model file (fixed member order, one row of U per line, trailing newline). */
export function serializeModelFile(model: ModelFile): string {
  return stableStringify(model) + '\n';
}

/** f(x) of an exported model on one input x (length d), for checks and the download's README. */
export function evaluateModel(model: ModelFile, x: ArrayLike<number>): number {
  let s = 0;
  const sd = Math.sqrt(model.d);
  for (let j = 0; j < model.m; j++) {
    let z = 0;
    for (let k = 0; k < model.d; k++) z += model.U[j][k] * x[k];
    s += model.v[j] * Math.max(0, z / sd);
  }
  return s / Math.sqrt(model.m);
}
