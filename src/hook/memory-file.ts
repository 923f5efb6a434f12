/** Moved to src/memory/sync.ts (memory has one home); this re-export keeps callers working. */
export * from '../memory/sync.js';
