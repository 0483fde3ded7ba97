/** Serves each exported trained model (<run>.model.json) for download. */
import type { APIRoute, GetStaticPaths } from 'astro';
import { EXPERIMENTS } from '../../../experiments/registry';
import { getModelFiles } from '../../../site/traces';
import { serializeModelFile } from '../../../experiments/modelFile';

export const getStaticPaths: GetStaticPaths = () =>
  EXPERIMENTS.filter((e) => e.runByDefault !== false).flatMap((e) =>
    getModelFiles(e.id).map((m) => ({ params: { experiment: e.id, run: m.runKey }, props: { model: m.model } })),
  );

export const GET: APIRoute = ({ props }) =>
  new Response(serializeModelFile(props.model), { headers: { 'Content-Type': 'application/json' } });
