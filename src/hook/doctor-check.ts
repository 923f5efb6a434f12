/** Moved to src/memory/doctor-check.ts (memory has one home); this re-export keeps callers working. */
export * from '../memory/doctor-check.js';
