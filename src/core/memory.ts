/** Moved to src/memory/entry.ts (memory has one home); this re-export keeps callers working. */
export * from '../memory/entry.js';
