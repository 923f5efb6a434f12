#!/usr/bin/env node
// The second half of `npm run build`, after tsc:
//
// 1. The CLI, bundled: dist/cli/main.js (what dist/bin.js imports) and its
//    lazily loaded chunks in dist/chunks/, with yargs and yaml inside. Node
//    then resolves and compiles a handful of files instead of ~150, which
//    cuts `baton status` by about a quarter. The heavy packages stay outside
//    (openai, remark/unified, simple-git): they are loaded only by the
//    commands that need them, from node_modules, as before. Every chunk sits
//    one folder below dist/, like each module tsc writes, so paths taken
//    from import.meta.url (the package root, templates/, tokenizer/) hold.
// 2. The two gpt-tokenizer encodings baton counts with (o200k_base,
//    cl100k_base) in dist/tokenizer/: the installed gpt-tokenizer package is
//    55 MB (every encoding in four builds, sources and maps); these are ~4 MB
//    and count exactly the same, being the same code. gpt-tokenizer is
//    therefore a devDependency only.
import { build } from 'esbuild';
import { rolldown } from 'rolldown';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const common = { absWorkingDir: ROOT, bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' };

// Chunk names carry a hash, so old ones would pile up: those this build did not write go at the
// end, not first. A baton already running from dist/ (baton's own `done`, whose check is this
// build) loads its lazy chunks while the build runs, and must find them.
const OWN_DIRS = ['chunks', 'tokenizer', 'vendor'];
const started = Date.now() - 1000;
rmSync(join(DIST, '.stage'), { recursive: true, force: true });

// Patches to bundled packages, each for a cost measured with --cpu-prof on every start:
// - string-width (three copies, under yargs' help renderer) builds an Intl.Segmenter and a
//   /\p{RGI_Emoji}/v regex when it is loaded: ~40 ms, though only `--help` and usage errors
//   measure any text. Built on first use instead.
// - yargs' factory calls `.version()` with no value, which walks up from the working folder
//   reading every directory until it finds a package.json (~4 ms, more in a large /tmp or
//   /usr/lib): baton sets its own version right after (src/cli/main.ts), so the guess goes.
const PATCHES = [
  {
    // Several versions are installed; each edit applies where its line is found.
    file: /[\\/]string-width[\\/]index\.js$/,
    optional: true,
    edits: [
      [/^const (\w+) = new Intl\.Segmenter\(\);$/m, (_line, name) => `let ${name}Made;\nconst ${name} = { segment: (text) => (${name}Made ??= new Intl.Segmenter()).segment(text) };`],
      [/^const (\w+) = \/\^\\p\{RGI_Emoji\}\$\/v;$/m, (_line, name) => `let ${name}Made;\nconst ${name} = { test: (text) => (${name}Made ??= new RegExp('^\\\\p{RGI_Emoji}$', 'v')).test(text) };`],
    ],
  },
  { file: /[\\/]yargs[\\/]build[\\/]lib[\\/]yargs-factory\.js$/, edits: [[/^(\s*)yargs\.version\(\);$/m, (_line, indent) => `${indent}/* baton: version set by the CLI */`]] },
];
const patchPackages = {
  name: 'patch-packages',
  setup(b) {
    for (const { file, edits, optional } of PATCHES) {
      b.onLoad({ filter: file }, async ({ path }) => {
        let text = await readFile(path, 'utf8');
        for (const [re, edit] of edits) {
          if (!optional && !re.test(text)) throw new Error(`bundle: ${path} changed; the patch ${re} no longer applies (see scripts/bundle.mjs)`);
          text = text.replace(re, edit);
        }
        return { contents: text, loader: 'js', resolveDir: dirname(path) };
      });
    }
  },
};

// yargs and its helpers import node:assert and node:util for a few calls made on every run;
// loading those modules (util is not in Node's startup snapshot) is ~4 ms of every start.
// These stand-ins answer the common case themselves, exactly as the real function would
// (assert's Object.is checks; util.format of a lone string returns it unchanged), and load
// the real module only for anything else: a failed check, a format with arguments, inspect.
const LAZY_BUILTINS = {
  assert: `const real = () => process.getBuiltinModule('node:assert');
export const notStrictEqual = (a, b, ...rest) => { if (Object.is(a, b)) real().notStrictEqual(a, b, ...rest); };
export const strictEqual = (a, b, ...rest) => { if (!Object.is(a, b)) real().strictEqual(a, b, ...rest); };`,
  util: `const real = () => process.getBuiltinModule('node:util');
export const format = (first, ...rest) => (rest.length === 0 && typeof first === 'string' ? first : real().format(first, ...rest));
export const inspect = (...args) => real().inspect(...args);`,
};
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: /^(node:)?(assert|util)$/ }, ({ path, importer }) =>
      /[\\/]node_modules[\\/](yargs|yargs-parser|y18n)[\\/]/.test(importer) ? { path: path.replace(/^node:/, ''), namespace: 'lazy-builtins' } : undefined);
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtins' }, ({ path }) => ({ contents: LAZY_BUILTINS[path], loader: 'js' }));
  },
};

// esbuild bundles into a staging folder; rolldown then re-chunks it (below).
const STAGE = join(DIST, '.stage');
const cli = await build({
  ...common,
  plugins: [patchPackages, lazyBuiltins],
  entryPoints: { 'cli/main': 'src/cli/main.ts' },
  outdir: STAGE,
  chunkNames: 'chunks/[name]-[hash]',
  // yargs is vendored below; main.ts imports this copy only when run without a build.
  external: ['openai', 'openai/*', 'unified', 'remark-*', 'micromark*', 'mdast-*', 'yargs'],
  metafile: true,
  // Bundled CommonJS packages (the MCP SDK's dependencies) call require().
  banner: { js: "import { createRequire as batonCreateRequire } from 'node:module'; const require = batonCreateRequire(import.meta.url);" },
});

// 1b. esbuild splits code by the set of entries that reach it, and every lazily imported
//     command is an entry: `baton status` loaded 26 files of 1-8 KB, and resolving,
//     compiling and linking each is most of a small command's start. rolldown (Vite's
//     bundler) takes esbuild's output and puts everything the read commands need
//     (status, next, task, graph, and the hooks check every command makes: the chunks
//     main.js and they import statically) into
//     one chunk, leaving the rest split as before: `status` now loads 5 files.
const HOT = /^src\/(cli\/(status|next|task|graph)|git-hooks\/refresh)\.ts$/;
const outputs = cli.metafile.outputs;
const hot = new Set();
const reach = (file) => {
  if (hot.has(file)) return;
  hot.add(file);
  for (const i of outputs[file]?.imports ?? []) if (i.kind === 'import-statement' && !i.external) reach(i.path);
};
for (const [file, o] of Object.entries(outputs)) if (file.endsWith('cli/main.js') || HOT.test(o.entryPoint ?? '')) reach(file);
const main = Object.keys(outputs).find((f) => f.endsWith('cli/main.js'));
const hotIds = new Set([...hot].filter((f) => f !== main).map((f) => join(ROOT, f)));
const chunked = await rolldown({
  input: { 'cli/main': join(ROOT, main) },
  platform: 'node',
  external: (id) => !id.startsWith('.') && !isAbsolute(id),
  // The banner's createRequire runs in every esbuild chunk; merged, 30 of them ran for nothing.
  treeshake: { manualPureFunctions: ['batonCreateRequire'] },
  logLevel: 'warn',
});
await chunked.write({
  dir: DIST,
  format: 'esm',
  entryFileNames: '[name].js',
  chunkFileNames: 'chunks/[name]-[hash].js',
  codeSplitting: { groups: [{ name: 'read-commands', test: (id) => hotIds.has(id) }] },
});
await chunked.close();
rmSync(STAGE, { recursive: true, force: true });

// 3. yaml and yargs as one CommonJS file each in dist/vendor/, which src/workspace/vendored.ts
//    loads synchronously with V8's code cache (3b): most runs read config and front matter
//    from caches and never load yaml, and a synchronous require is what the synchronous
//    readers need; yargs runs on every command, and its compile was most of a start.
await build({
  ...common,
  splitting: false,
  format: 'cjs',
  plugins: [patchPackages, lazyBuiltins],
  entryPoints: { yaml: 'yaml', yargs: 'yargs' },
  outdir: join(DIST, 'vendor'),
  outExtension: { '.js': '.cjs' },
  legalComments: 'inline',
  // yargs is an ES module that finds its own folder through import.meta.url.
  define: { 'import.meta.url': 'batonImportMetaUrl' },
  banner: { js: "const batonImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
});

// 3b. V8's code cache of each vendored file, made after the functions baton calls have run
//     once: a run that loads it skips compiling most of it.
{
  const dist = (path) => import(pathToFileURL(join(DIST, path)).href);
  const { parseFrontMatter, setFrontMatterFields } = await dist('workspace/frontmatter.js');
  const { parseConfig, DEFAULT_CONFIG_TEXT } = await dist('workspace/config.js');
  const { loadVendored, vendoredCodeCache } = await dist('workspace/vendored.js');
  const task = '---\nid: T-1a2b\ntitle: "Warm: up"\nstatus: todo\ndepends_on: [T-0c0d]\nfiles: []\n---\n## Context\n';
  parseFrontMatter(task, 'warm.md');
  setFrontMatterFields(task, 'warm.md', { status: 'done', files: ['a.ts'], phase: undefined });
  parseConfig(DEFAULT_CONFIG_TEXT, 'config.yaml');
  // A command with options and a positional, parsed the way src/cli/main.ts sets yargs up.
  const yargs = loadVendored('yargs').default;
  await yargs(['task', 'show', 'T-1a2b', '--json'])
    .scriptName('baton').option('json', { type: 'boolean', global: true }).version('0.0.0').help().strict()
    .demandCommand(1).recommendCommands().example('$0 status', 'x').epilogue('x').wrap(100).exitProcess(false)
    .fail((message, error) => { throw error ?? new Error(message); })
    .command({ command: 'task', describe: 'x', builder: (y) => y.command({ command: 'show <id>', describe: 'x', builder: (z) => z.positional('id', { type: 'string' }).option('n', { type: 'number' }), handler: () => {} }).demandCommand(1), handler: () => {} })
    .parseAsync();
  for (const name of ['yaml', 'yargs']) {
    const cache = vendoredCodeCache(name);
    if (!cache) throw new Error(`bundle: dist/vendor/${name}.cjs was not loaded, so there is no code cache to write`);
    writeFileSync(join(DIST, 'vendor', `${name}.cjs.cache`), cache);
  }
}

await build({
  ...common,
  entryPoints: { o200k_base: 'gpt-tokenizer/encoding/o200k_base', cl100k_base: 'gpt-tokenizer/encoding/cl100k_base' },
  outdir: join(DIST, 'tokenizer'),
  chunkNames: 'shared-[hash]',
  legalComments: 'inline',
});

// Stale chunks of earlier builds (a name this build no longer writes) go now.
for (const dir of OWN_DIRS) {
  for (const name of existsSync(join(DIST, dir)) ? readdirSync(join(DIST, dir)) : []) {
    const path = join(DIST, dir, name);
    if (statSync(path).mtimeMs < started) rmSync(path, { recursive: true, force: true });
  }
}
