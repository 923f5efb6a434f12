/**
 * The `yaml` library, loaded on first use. Most runs parse no YAML at all:
 * config.yaml and the tasks' front matter come from caches keyed by the
 * files' stat (config.ts, tasks/task-files.ts), and loading the library costs
 * ~10 ms of every start. The build writes it as one file,
 * `dist/vendor/yaml.cjs` (scripts/bundle.mjs), loaded synchronously because
 * the readers that need it are synchronous; run from the sources (tests), it
 * comes from node_modules.
 */
import { createRequire } from 'node:module';

type Yaml = typeof import('yaml');

let loaded: Yaml | undefined;

export function yaml(): Yaml {
  if (loaded) return loaded;
  const load = createRequire(import.meta.url);
  try {
    loaded = load('../vendor/yaml.cjs') as Yaml;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    loaded = load('yaml') as Yaml;
  }
  return loaded;
}
