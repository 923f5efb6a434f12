/**
 * Packages the build writes as one CommonJS file each in `dist/vendor/`
 * (scripts/bundle.mjs), loaded synchronously on first use with V8's code
 * cache written beside them. The cache is made at build time after the
 * functions baton calls have run once, so a run skips compiling the package
 * and most of its functions: for yaml ~25 ms down to ~4 ms. This is what
 * Node 22's `module.enableCompileCache()` does, which Node 20 lacks. V8
 * checks the cache against its version, flags and the source, and on any
 * mismatch compiles as usual.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

type Script = import('node:vm').Script;
const scripts = new Map<string, Script>();

/** `dist/vendor/<name>.cjs`'s exports; undefined when running from the sources (no build). */
export function loadVendored(name: string): unknown {
  const file = fileURLToPath(new URL(`../vendor/${name}.cjs`, import.meta.url));
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const { Script } = process.getBuiltinModule('node:vm');
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData: readOptional(`${file}.cache`) });
  scripts.set(name, script);
  const module = { exports: {} };
  (script.runInThisContext() as CommonJsWrapper)(module.exports, createRequire(file), module, file, dirname(file));
  return module.exports;
}

/** V8's code cache of a vendored file as run so far (the build writes it after warming the file up). */
export function vendoredCodeCache(name: string): Buffer | undefined {
  return scripts.get(name)?.createCachedData();
}

type CommonJsWrapper = (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string) => void;

function readOptional(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}
