/**
 * The `yaml` library, loaded on first use. Most runs parse no YAML at all:
 * config.yaml and the tasks' front matter come from caches keyed by the
 * files' stat (config.ts, tasks/task-files.ts). The build's copy is one file
 * with its code cache (vendored.ts), loaded synchronously because the readers
 * that need it are synchronous; run from the sources (tests), it comes from
 * node_modules.
 */
import { createRequire } from 'node:module';
import { loadVendored } from './vendored.js';

type Yaml = typeof import('yaml');

let loaded: Yaml | undefined;

export function yaml(): Yaml {
  loaded ??= (loadVendored('yaml') as Yaml | undefined) ?? (createRequire(import.meta.url)('yaml') as Yaml);
  return loaded;
}
