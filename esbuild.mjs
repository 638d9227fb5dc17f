// Bundles the three entry points. The client keeps `vscode` external (the editor provides it);
// the server and the CLI are self-contained Node programs.
import * as esbuild from 'esbuild';
import fs from 'node:fs';

const watch = process.argv.includes('--watch');
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };
const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
].filter((e) => fs.existsSync(e.entryPoints[0]));

for (const e of entries) {
  const opts = { ...common, ...e };
  if (watch) await (await esbuild.context(opts)).watch();
  else await esbuild.build(opts);
}
if (!watch && fs.existsSync('dist/cli.js')) fs.chmodSync('dist/cli.js', 0o755);
