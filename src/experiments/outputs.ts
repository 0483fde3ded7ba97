/**
 * What a run of an experiment leaves in its trace besides the config: the zod schema of its
 * `summary` and the names of its `series`, declared next to the experiment's config schema. The
 * site's trace reader checks every trace against them, so a renamed or missing key fails the build
 * naming the file and the field instead of showing NaN. Pure: no fs, usable by writer and reader.
 */
import { z } from 'zod';
import type { SummaryValue } from './trace';

/**
 * The outputs of one kind of run. An experiment whose runs differ (e.g. trajectories and a phase
 * diagram) declares one of these per kind; a trace must match one of them.
 */
export interface TraceOutputs<S = Record<string, SummaryValue>, N extends string = string, O extends string = string> {
  /** Short name of this kind of run, for error messages (e.g. 'trajectory'). */
  name: string;
  /** Schema of `summary`: strict (unknown keys fail), nullable where a run may record null. */
  summarySchema: z.ZodType<S>;
  /** Series every run of this kind writes. */
  seriesNames: readonly N[];
  /** Series only some runs of this kind write (e.g. models with pooled channels). */
  optionalSeriesNames: readonly O[];
}

/** An experiment's declared outputs: one kind of run, or a list of kinds. */
export type OutputsDeclaration = TraceOutputs<any, string, string> | readonly TraceOutputs<any, string, string>[];

/** Declares the outputs of one kind of run, keeping the literal series names for typed reads. */
export function defineOutputs<S, N extends string, O extends string = never>(o: {
  name: string;
  summarySchema: z.ZodType<S>;
  seriesNames: readonly N[];
  optionalSeriesNames?: readonly O[];
}): TraceOutputs<S, N, O> {
  return { ...o, optionalSeriesNames: o.optionalSeriesNames ?? [] };
}

/** The kinds of run of a declaration, as a list. */
export function outputVariants(decl: OutputsDeclaration): readonly TraceOutputs<any, string, string>[] {
  return Array.isArray(decl) ? decl : [decl as TraceOutputs<any, string, string>];
}

/** One mismatch between a trace and a declaration: the field ('summary.x' or 'series.x') and what is wrong. */
export interface OutputIssue {
  field: string;
  message: string;
}

interface ZodIssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
}

/** Mismatches of one trace body with one kind of run (empty if it matches). */
export function outputIssues(
  v: TraceOutputs<any, string, string>,
  body: { summary: unknown; series: Record<string, unknown> },
): OutputIssue[] {
  const issues: OutputIssue[] = [];
  const r = v.summarySchema.safeParse(body.summary);
  if (!r.success) {
    for (const i of r.error.issues as ZodIssueLike[]) {
      // Unknown keys come as one issue listing them; name each so a renamed key shows both sides.
      if (i.code === 'unrecognized_keys' && i.keys) {
        for (const k of i.keys) issues.push({ field: `summary.${k}`, message: 'not in the summary schema' });
      } else {
        issues.push({ field: ['summary', ...i.path.map(String)].join('.'), message: i.message });
      }
    }
  }
  const declared = new Set<string>([...v.seriesNames, ...v.optionalSeriesNames]);
  for (const n of v.seriesNames) if (!(n in body.series)) issues.push({ field: `series.${n}`, message: 'missing' });
  for (const n of Object.keys(body.series))
    if (!declared.has(n)) issues.push({ field: `series.${n}`, message: 'not a declared series name' });
  return issues;
}

/**
 * Checks a trace body against an experiment's declaration. Returns null if one kind of run
 * matches, else the issues of the closest kind (fewest issues) with its name.
 */
export function checkOutputs(
  decl: OutputsDeclaration,
  body: { summary: unknown; series: Record<string, unknown> },
): { variant: string; issues: OutputIssue[] } | null {
  let best: { variant: string; issues: OutputIssue[] } | null = null;
  for (const v of outputVariants(decl)) {
    const issues = outputIssues(v, body);
    if (issues.length === 0) return null;
    if (!best || issues.length < best.issues.length) best = { variant: v.name, issues };
  }
  return best;
}

/** The issues as one line: 'field "summary.x": Required; field "series.y": missing'. */
export function formatOutputIssues(issues: OutputIssue[]): string {
  return issues.map((i) => `field "${i.field}": ${i.message}`).join('; ');
}

/**
 * Summary fields every run driven by the Trainer ends with, and their values: the step it diverged
 * at (null: never), its final ½Σ training loss (null when not finite) and the steps it took.
 */
export const RUN_END_SUMMARY = {
  divergedAt: z.number().int().nullable(),
  finalTrainLoss: z.number().nullable(),
  steps: z.number().int(),
};

/** The RUN_END_SUMMARY values of a finished Trainer trace. */
export function runEndSummary(tr: { divergedAt: number | null; finalTrainLoss: number; stepsTaken: number }) {
  return {
    divergedAt: tr.divergedAt,
    finalTrainLoss: Number.isFinite(tr.finalTrainLoss) ? tr.finalTrainLoss : null,
    steps: tr.stepsTaken,
  };
}
