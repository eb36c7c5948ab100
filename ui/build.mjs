// build.mjs - bundle the web UI into OUT (default ../build/ui): index.html,
// app.js and app.css (the stylesheets the modules import), the chunks the app
// loads when a page needs them (chunk-HASH.js: the analysis pages with their
// charts), favicon.svg, a .gz twin of each script and sheet that the server
// sends to browsers that accept gzip, and files.txt, the list of them all,
// which the build compiles into the server.
// Usage: node build.mjs OUT
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] || join(here, '..', 'build', 'ui'));

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const result = await build({
  entryPoints: { app: join(here, 'src', 'main.jsx') },
  bundle: true,
  splitting: true,
  minify: true,
  format: 'esm',
  target: ['es2020'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: out,
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  define: { 'process.env.NODE_ENV': '"production"' },
});
const files = Object.keys(result.metafile.outputs).map((f) => basename(f));
for (const f of ['index.html', 'favicon.svg']) {
  copyFileSync(join(here, 'src', f), join(out, f));
  files.push(f);
}
for (const f of files.filter((x) => /\.(js|css)$/.test(x))) {
  writeFileSync(join(out, f + '.gz'), gzipSync(readFileSync(join(out, f)), { level: 9 }));
  files.push(f + '.gz');
}
if (files.length > 60) throw new Error(`${files.length} files: the server serves at most 64`);
writeFileSync(join(out, 'files.txt'), files.sort().join('\n') + '\n');
