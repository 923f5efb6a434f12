/** `baton init` installs the hooks; kept apart so init works while hooks are being built. */
export async function installHooksIfAvailable(root: string): Promise<string[]> {
  try {
    const mod = (await import('../hook/install.js')) as { installHooks?: (root: string) => Promise<string[]> };
    return mod.installHooks ? await mod.installHooks(root) : [];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return [];
    throw error;
  }
}
