// build.mjs - bundle the web UI into OUT (default ../build/ui): index.html,
// app.js and app.css (the stylesheets the modules import; minified, with .gz
// twins the server sends to browsers that accept gzip) and favicon.svg. The
// server compiles these files in.
// Usage: node build.mjs OUT
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] || join(here, '..', 'build', 'ui'));

mkdirSync(out, { recursive: true });
await build({
  entryPoints: { app: join(here, 'src', 'main.jsx') },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: out,
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
});
for (const f of ['index.html', 'favicon.svg'])
  copyFileSync(join(here, 'src', f), join(out, f));
for (const f of ['app.js', 'app.css'])
  writeFileSync(join(out, f + '.gz'), gzipSync(readFileSync(join(out, f)), { level: 9 }));
