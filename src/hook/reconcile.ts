/** Moved to src/memory/reconcile.ts (memory has one home); this re-export keeps callers working. */
export * from '../memory/reconcile.js';
