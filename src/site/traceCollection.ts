/**
 * The `traces` content collection (Astro 5 content layer): every committed trace under
 * content/traces, validated by the trace file schema, so a malformed file fails the build.
 * Register in src/content.config.ts as `export const collections = { traces: traceCollection, … }`.
 * Entry ids are "<experiment>/<runKey>"; decode and check staleness with `traceFromEntry` (src/site/traces.ts).
 */
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { traceFileSchema } from '../experiments/trace';

/** The `traces` collection: content/traces/<experiment>/<runKey>.json, schema-validated. */
export const traceCollection = defineCollection({
  loader: glob({
    // Model files share the folder but not the schema; temp files from interrupted writes start with '.'.
    pattern: ['**/*.json', '!**/*.model.json', '!**/.*'],
    base: './content/traces',
    // Keep run keys exactly as named (the default slugifier lowercases and rewrites characters).
    generateId: ({ entry }) => entry.replace(/\.json$/, ''),
  }),
  schema: traceFileSchema,
});
