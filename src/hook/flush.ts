/** Moved to src/memory/flush.ts (memory has one home); this re-export keeps callers working. */
export * from '../memory/flush.js';
