/**
 * Write the commit records the hooks queued into memory before baton writes
 * or commits memory itself. The hooks module may be absent (hooks are
 * optional, and built separately): then there is no queue to flush.
 */
export async function flushQueueIfAvailable(root: string): Promise<number> {
  try {
    // A computed specifier: the module is optional, so the type checker must not insist on it.
    const specifier = '../hook/flush.js';
    const mod = (await import(specifier)) as { flushQueue?: (root: string) => Promise<number> };
    return mod.flushQueue ? await mod.flushQueue(root) : 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return 0;
    throw error;
  }
}
