/**
 * The `yaml` library, loaded on first use. Most runs parse no YAML at all:
 * config.yaml and the tasks' front matter come from caches keyed by the
 * files' stat (config.ts, tasks/task-files.ts), and loading the library costs
 * ~10 ms of every start. The build writes it as one CommonJS file,
 * `dist/vendor/yaml.cjs`, loaded synchronously because the readers that need
 * it are synchronous; run from the sources (tests), it comes from node_modules.
 *
 * Beside it the build writes V8's code cache of that file, made after parsing
 * a task and a config (scripts/bundle.mjs), so a run that does parse (`task
 * show`, an edited file) skips compiling the library: ~25 ms down to ~4 ms.
 * This is what Node 22's `module.enableCompileCache()` does, which Node 20
 * lacks. V8 checks the cache against its version, flags and the source, and
 * on any mismatch compiles as usual.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

type Yaml = typeof import('yaml');

let loaded: Yaml | undefined;
let script: import('node:vm').Script | undefined;

export function yaml(): Yaml {
  loaded ??= vendored() ?? (createRequire(import.meta.url)('yaml') as Yaml);
  return loaded;
}

/** The build's copy, with its code cache; undefined when running from the sources. */
function vendored(): Yaml | undefined {
  const file = fileURLToPath(new URL('../vendor/yaml.cjs', import.meta.url));
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  script = compile(file, source, readOptional(`${file}.cache`));
  const module = { exports: {} as Yaml };
  (script.runInThisContext() as CommonJsWrapper)(module.exports, createRequire(file), module, file, dirname(file));
  return module.exports;
}

type CommonJsWrapper = (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string) => void;

/** V8's code cache of the vendored file as run so far (the build writes it after warming it up). */
export function codeCache(): Buffer | undefined {
  return script?.createCachedData();
}

/** The file as Node's CommonJS loader wraps it. */
function compile(file: string, source: string, cachedData?: Buffer): import('node:vm').Script {
  const { Script } = process.getBuiltinModule('node:vm');
  return new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
}

function readOptional(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}
