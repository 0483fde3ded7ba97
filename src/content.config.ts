/**
 * Content collections: the MDX chapters. Traces are not a collection: the site reads and validates
 * them through src/site/traces.ts alone (a malformed, stale or mismatching trace fails the build,
 * naming the file; every file under content/traces is checked by the trace download pages).
 */
import { defineCollection } from 'astro:content';
import { z } from 'zod';
import { glob } from 'astro/loaders';

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

export const collections = { chapters };
