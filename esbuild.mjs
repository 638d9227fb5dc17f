// Bundles the three entry points. The client keeps `vscode` external (the editor provides it);
// the server and the CLI are self-contained Node programs. Each entry builds on its own, so one
// broken entry does not keep the others stale; the script fails if any failed.
import * as esbuild from 'esbuild';
import fs from 'node:fs';

const watch = process.argv.includes('--watch');
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };
const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The cluster side of the CLI, loaded by dist/cli.js only for `diff`.
  { entryPoints: ['server/src/cli-diff.ts'], outfile: 'dist/cli-diff.js' },
  // The schemas of the language server's checks, loaded on first use (server/src/schema/index.ts).
  { entryPoints: ['server/src/schema/bundle.ts'], outfile: 'dist/schemas.js', minify: true, sourcemap: false },
].filter((e) => fs.existsSync(e.entryPoints[0]));

let failed = 0;
for (const e of entries) {
  const opts = { ...common, ...e };
  try {
    if (watch) await (await esbuild.context(opts)).watch();
    else await esbuild.build(opts);
  } catch {
    failed++;
    console.error(`esbuild: ${e.outfile} was not built`);
  }
}
if (fs.existsSync('dist/cli.js')) fs.chmodSync('dist/cli.js', 0o755);
if (failed) process.exit(1);
