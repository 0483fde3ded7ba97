/**
 * Content collections: the MDX chapters and the committed experiment traces. A malformed or
 * stale trace fails the build (see src/site/traceCollection.ts and src/site/traces.ts).
 */
import { defineCollection } from 'astro:content';
import { z } from 'zod';
import { glob } from 'astro/loaders';
import { traceCollection } from './site/traceCollection';

const chapters = defineCollection({
  loader: glob({ pattern: '*.mdx', base: './content/chapters' }),
  schema: z.object({
    title: z.string().min(1),
    description: z.string().min(1),
    /** Chapter number, 1-based; also the order on the landing page. */
    order: z.number().int().positive(),
    /** Whether the chapter embeds a demo (only such pages may load TensorFlow.js). */
    demo: z.boolean().default(false),
  }),
});

export const collections = { chapters, traces: traceCollection };
