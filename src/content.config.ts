/**
 * Content collections: the MDX chapters. Traces are not a collection: pages read them through
 * src/site/traces.ts, which checks each one (and fails the build naming the file, the field and the
 * command that fixes it, or listing every stale experiment).
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
