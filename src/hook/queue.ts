/** Moved to src/memory/queue.ts (memory has one home); this re-export keeps callers working. */
export * from '../memory/queue.js';
