/** Moved to src/memory/file.ts (memory has one home); this re-export keeps callers working. */
export * from '../memory/file.js';
