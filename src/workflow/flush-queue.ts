/**
 * Write the commit records the hooks queued into memory before baton writes
 * or commits memory itself. The hook module is loaded only when this runs.
 */
export async function flushHookQueue(root: string): Promise<number> {
  const { flushQueue } = await import('../memory/flush.js');
  return flushQueue(root);
}
