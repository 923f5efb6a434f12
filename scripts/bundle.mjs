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
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const common = { absWorkingDir: ROOT, bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' };

// Emptied first: chunk names carry a hash, and old ones would pile up.
for (const dir of ['chunks', 'tokenizer']) rmSync(join(DIST, dir), { recursive: true, force: true });

// string-width (three copies, under yargs' help renderer) builds an Intl.Segmenter and
// a /\p{RGI_Emoji}/v regex when it is loaded: ~40 ms of every command's start, measured
// with --cpu-prof, though only `--help` and usage errors measure any text. Built on first use instead.
const LAZY = [
  [/^const (\w+) = new Intl\.Segmenter\(\);$/m, (name) => `let ${name}Made;\nconst ${name} = { segment: (text) => (${name}Made ??= new Intl.Segmenter()).segment(text) };`],
  [/^const (\w+) = \/\^\\p\{RGI_Emoji\}\$\/v;$/m, (name) => `let ${name}Made;\nconst ${name} = { test: (text) => (${name}Made ??= new RegExp('^\\\\p{RGI_Emoji}$', 'v')).test(text) };`],
];
const lazyStringWidth = {
  name: 'lazy-string-width',
  setup(b) {
    b.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, async ({ path }) => {
      let text = await readFile(path, 'utf8');
      for (const [re, lazy] of LAZY) text = text.replace(re, (_line, name) => lazy(name));
      return { contents: text, loader: 'js', resolveDir: dirname(path) };
    });
  },
};

await build({
  ...common,
  plugins: [lazyStringWidth],
  entryPoints: { 'cli/main': 'src/cli/main.ts' },
  outdir: DIST,
  chunkNames: 'chunks/[name]-[hash]',
  external: ['openai', 'openai/*', 'unified', 'remark-*', 'micromark*', 'mdast-*'],
  // Bundled CommonJS packages (yaml's node build) call require().
  banner: { js: "import { createRequire as batonCreateRequire } from 'node:module'; const require = batonCreateRequire(import.meta.url);" },
});

await build({
  ...common,
  entryPoints: { o200k_base: 'gpt-tokenizer/encoding/o200k_base', cl100k_base: 'gpt-tokenizer/encoding/cl100k_base' },
  outdir: join(DIST, 'tokenizer'),
  chunkNames: 'shared-[hash]',
  legalComments: 'inline',
});
