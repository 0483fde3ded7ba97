/**
 * Serves each committed trace file, byte for byte, for download from the site. Building it checks
 * every trace: each default experiment's planned runs must all be there (getTraces), and every
 * file under content/traces must be a planned run, valid, fresh and match its experiment's outputs
 * (checkTraceDir); a bad one fails the build naming the file.
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXPERIMENTS } from '../../../experiments/registry';
import { checkTraceDir, getTraces } from '../../../site/traces';

export const getStaticPaths: GetStaticPaths = () => {
  checkTraceDir();
  return EXPERIMENTS.filter((e) => e.runByDefault !== false).flatMap((e) =>
    getTraces(e.id).map((t) => ({ params: { experiment: e.id, run: t.runKey } })),
  );
};

export const GET: APIRoute = ({ params }) =>
  new Response(readFileSync(resolve(process.cwd(), 'content/traces', params.experiment!, `${params.run}.json`)), {
    headers: { 'Content-Type': 'application/json' },
  });
