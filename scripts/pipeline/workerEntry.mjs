// Plain-JS entry for worker threads: registers tsx's loader inside the worker, then loads the
// TypeScript worker. (A .ts file as the Worker entry fails on Node 20 before --import hooks apply.)
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
