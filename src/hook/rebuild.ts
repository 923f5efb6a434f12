/** Moved to src/memory/rebuild.ts (memory has one home); this re-export keeps callers working. */
export * from '../memory/rebuild.js';
