// The suites' own set-up behaves the same however it is started (npm test, npm start,
// node scripts/test.mjs, a shell). `npm test` exports its configuration to its children
// (npm_config_user_agent names the outer Node, ...); a nested npm read it as its own and
// code-server's postinstall refused to install ("requires node v24 ... you are on node v20").
// Here every installer and builder runs under such an outer npm's environment, with a stand-in
// npm or go that records what it was handed: none of the outer npm's variables may reach it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isOuterNpmVariable, toolEnv } from '../../scripts/tool-env.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHIM = '/opt/outer-npm/node_modules/@npmcli/run-script/lib/node-gyp-bin';

/** What an outer `npm test` hands its children (names as npm 10 sets them). */
function outerNpmEnv(extra) {
  return {
    ...process.env,
    npm_config_user_agent: 'npm/10.8.2 node/v20.19.0 linux x64 workspaces/false',
    npm_config_nodedir: '/outer/nodedir',
    npm_config_cache: '/outer/npm-cache',
    npm_config_global_prefix: '/outer/prefix',
    npm_package_name: 'gitops-lens',
    npm_package_engines_node: '>=20',
    npm_lifecycle_event: 'test',
    npm_lifecycle_script: 'node scripts/test.mjs',
    npm_execpath: '/outer/npm-cli.js',
    npm_node_execpath: '/outer/node',
    npm_command: 'run-script',
    INIT_CWD: ROOT,
    NODE: '/outer/node',
    PATH: `${SHIM}:${process.env.PATH}`,
    ...extra,
  };
}
const OUTER = Object.keys(outerNpmEnv({})).filter(isOuterNpmVariable);

function tmpdir(name) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `gitops-lens-setup-${name}-`));
}

/** A stand-in executable that writes its environment (NUL-separated) to $RECORD_DIR/<n>.env. */
function recorder(dir, name, body = '') {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  const file = path.join(bin, name);
  fs.writeFileSync(file, `#!/usr/bin/env bash
n=$(ls "$RECORD_DIR" | wc -l)
env -0 > "$RECORD_DIR/$n-${name}.env"
printf '%s\\0' "$@" > "$RECORD_DIR/$n-${name}.args"
${body}
`, { mode: 0o755 });
  return bin;
}

function records(dir) {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.env')).sort((a, b) => parseInt(a) - parseInt(b)).map((f) => {
    const env = {};
    for (const kv of fs.readFileSync(path.join(dir, f), 'utf8').split('\0')) {
      const i = kv.indexOf('=');
      if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
    }
    const args = fs.readFileSync(path.join(dir, f.replace(/\.env$/, '.args')), 'utf8').split('\0').filter(Boolean);
    return { tool: f.replace(/^\d+-|\.env$/g, ''), env, args };
  });
}

function assertNoOuterNpm(rec) {
  const leaked = OUTER.filter((k) => k in rec.env && !(k === 'npm_config_nodedir' && rec.env[k] !== '/outer/nodedir'));
  assert.deepEqual(leaked, [], `${rec.tool} ${rec.args.join(' ')} was handed the outer npm's ${leaked.join(', ')}`);
  assert.ok(!rec.env.PATH.split(':').includes(SHIM), `${rec.tool} got the outer npm's node-gyp shim on PATH`);
}

describe('set-up under an outer npm', () => {
  test('toolEnv drops exactly the outer npm variables and its node-gyp shim', () => {
    const env = toolEnv({ GOFLAGS: '-mod=readonly' }, outerNpmEnv({ KEEP_ME: '1' }));
    assert.deepEqual(Object.keys(env).filter(isOuterNpmVariable), []);
    assert.equal(env.KEEP_ME, '1');
    assert.equal(env.GOFLAGS, '-mod=readonly');
    // Only the shim goes (this suite may itself run under `npm test`, whose PATH has one too).
    const kept = `${SHIM}:${process.env.PATH}`.split(':').filter((d) => !d.endsWith('/@npmcli/run-script/lib/node-gyp-bin'));
    assert.deepEqual(env.PATH.split(':'), kept);
  });

  test('test/e2e/setup.sh hands its nested npm installs none of them', () => {
    const dir = tmpdir('e2e');
    const recordDir = path.join(dir, 'records');
    fs.mkdirSync(recordDir);
    // The stand-in npm lays out what the real installs would: node-linux-<cpu>/bin/node, code-server.
    const bin = recorder(dir, 'npm', `
prefix=; pkg=
while [ $# -gt 0 ]; do case "$1" in --prefix) prefix="$2"; shift ;; -*) ;; *) pkg="$1" ;; esac; shift; done
case "$pkg" in
  node-linux-*@*)
    d="$prefix/node_modules/\${pkg%@*}"; mkdir -p "$d/bin" "$d/include/node"
    printf '#!/bin/sh\\necho v%s\\n' "\${pkg##*@}" > "$d/bin/node"; chmod +x "$d/bin/node" ;;
  code-server@*)
    mkdir -p "$prefix/node_modules/code-server/lib/vscode/node_modules" "$prefix/node_modules/code-server/out/node"
    touch "$prefix/node_modules/code-server/out/node/entry.js" ;;
  *) echo "unexpected npm install $pkg" >&2; exit 1 ;;
esac`);
    const r = spawnSync('bash', [path.join(ROOT, 'test/e2e/setup.sh')], {
      encoding: 'utf8',
      env: outerNpmEnv({
        PATH: `${SHIM}:${bin}:${process.env.PATH}`, RECORD_DIR: recordDir,
        GITOPS_LENS_E2E_HOME: path.join(dir, 'home'), GITOPS_LENS_E2E_APT: '0',
      }),
    });
    assert.equal(r.status, 0, r.stderr);
    const recs = records(recordDir);
    assert.deepEqual(recs.map((x) => x.args.find((a) => a.includes('@'))), [
      `node-linux-${process.arch === 'arm64' ? 'arm64' : 'x64'}@24.21.0`, 'code-server@4.139.1',
    ]);
    for (const rec of recs) assertNoOuterNpm(rec);
    // code-server's native modules compile against the Node 24 headers that setup.sh chose itself.
    assert.match(recs[1].env.npm_config_nodedir, /node-linux-(x64|arm64)$/);
    assert.ok(fs.existsSync(r.stdout.trim().split('\n').pop()), 'prints the path of env.sh');
  });

  test('the cluster binaries and helm are built by a go that gets none of them', () => {
    const dir = tmpdir('go');
    const recordDir = path.join(dir, 'records');
    fs.mkdirSync(recordDir);
    const bin = recorder(dir, 'go', 'exit 3');
    const script = `
      const { ensureBinaries } = await import(${JSON.stringify(path.join(ROOT, 'test/cluster/build.mjs'))});
      const { ensureHelm } = await import(${JSON.stringify(path.join(ROOT, 'test/helm/build-helm.mjs'))});
      await ensureBinaries({ log() {} }).then(() => { throw new Error('the stand-in go built nothing'); }, () => {});
      try { ensureHelm({ log() {} }); throw new Error('the stand-in go built nothing'); } catch (e) { if (/built nothing/.test(e.message)) throw e; }
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: outerNpmEnv({
        GO: path.join(bin, 'go'), RECORD_DIR: recordDir, GITOPS_LENS_CACHE: path.join(dir, 'cache'),
        XDG_CACHE_HOME: path.join(dir, 'xdg'),
      }),
    });
    assert.equal(r.status, 0, r.stderr);
    const builds = records(recordDir).filter((x) => x.args[0] === 'build');
    assert.equal(builds.length, 2, `two go builds (cluster, helm): ${JSON.stringify(records(recordDir).map((x) => x.args))}`);
    for (const rec of builds) assertNoOuterNpm(rec);
  });
});
