/** Moved to src/memory/attribution.ts (memory has one home); this re-export keeps callers working. */
export * from '../memory/attribution.js';
