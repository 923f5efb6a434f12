#!/usr/bin/env node
// Part of `npm run build`: the two gpt-tokenizer encodings baton counts with
// (o200k_base, cl100k_base), bundled into dist/tokenizer/. The installed
// gpt-tokenizer package is 55 MB (every encoding in four builds, sources and
// maps); these two files are ~3.5 MB and count exactly the same, because they
// are the same code. gpt-tokenizer is therefore a devDependency only.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

// Emptied first: chunk names carry a hash, and old ones would pile up.
rmSync(join(ROOT, 'dist', 'tokenizer'), { recursive: true, force: true });
await build({
  absWorkingDir: ROOT,
  entryPoints: {
    o200k_base: 'gpt-tokenizer/encoding/o200k_base',
    cl100k_base: 'gpt-tokenizer/encoding/cl100k_base',
  },
  outdir: join(ROOT, 'dist', 'tokenizer'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'shared-[hash]',
  legalComments: 'inline',
  logLevel: 'warning',
});
