/** Serves each committed trace file, byte for byte, for download from the site. */
import type { APIRoute, GetStaticPaths } from 'astro';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXPERIMENTS } from '../../../experiments/registry';
import { getTraces } from '../../../site/traces';

export const getStaticPaths: GetStaticPaths = () =>
  EXPERIMENTS.filter((e) => e.runByDefault !== false).flatMap((e) => getTraces(e.id).map((t) => ({ params: { experiment: e.id, run: t.runKey } })));

export const GET: APIRoute = ({ params }) =>
  new Response(readFileSync(resolve(process.cwd(), 'content/traces', params.experiment!, `${params.run}.json`)), { headers: { 'Content-Type': 'application/json' } });
