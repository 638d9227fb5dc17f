// Builds (or reuses) kube-apiserver, kube-controller-manager and etcd from the
// Go module in ./go, cached under ~/.cache/gitops-lens/control-plane/<key>/bin.
// The key holds the pinned versions and a hash of go.mod, go.sum and the
// etcd main, so a change of pins builds anew and an unchanged tree never does.
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withLock } from './lock.mjs';
import { toolEnv } from '../../scripts/tool-env.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const GO_MODULE_DIR = path.join(here, 'go');
export const BINARIES = ['kube-apiserver', 'kube-controller-manager', 'etcd'];

export function cacheRoot() {
  return process.env.GITOPS_LENS_CACHE ?? path.join(os.homedir(), '.cache', 'gitops-lens');
}

/** Versions pinned in go.mod (the single source of truth). */
export function pinnedVersions() {
  const gomod = fs.readFileSync(path.join(GO_MODULE_DIR, 'go.mod'), 'utf8');
  const find = (mod) => {
    const m = gomod.match(new RegExp(`^\\s*(?:require\\s+)?${mod.replace(/[./]/g, '\\$&')}\\s+(v\\S+)`, 'm'));
    if (!m) throw new Error(`go.mod does not pin ${mod}`);
    return m[1];
  };
  return { kubernetes: find('k8s.io/kubernetes'), etcd: find('go.etcd.io/etcd/server/v3') };
}

function treeHash() {
  const h = crypto.createHash('sha256');
  for (const f of ['go.mod', 'go.sum', 'etcd/main.go']) {
    h.update(f).update('\0').update(fs.readFileSync(path.join(GO_MODULE_DIR, f))).update('\0');
  }
  return h.digest('hex').slice(0, 12);
}

export function binaryDir() {
  const v = pinnedVersions();
  return path.join(cacheRoot(), 'control-plane', `k8s-${v.kubernetes}_etcd-${v.etcd}_${treeHash()}`, 'bin');
}

function haveAll(dir) {
  return BINARIES.every((b) => {
    try {
      fs.accessSync(path.join(dir, b), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** ldflags that make /version tell the truth about the build. */
export function ldflags(kubeVersion) {
  const m = kubeVersion.match(/^v(\d+)\.(\d+)/);
  if (!m) throw new Error(`bad kubernetes version ${kubeVersion}`);
  const pkg = 'k8s.io/component-base/version';
  return [
    '-s -w',
    `-X ${pkg}.gitVersion=${kubeVersion}`,
    `-X ${pkg}.gitMajor=${m[1]}`,
    `-X ${pkg}.gitMinor=${m[2]}`,
    `-X ${pkg}.gitTreeState=clean`,
    `-X ${pkg}.buildDate=${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
  ].join(' ');
}

/** `go` from PATH, else the usual install place (CI may run with a bare PATH). */
function goBinary() {
  if (process.env.GO) return process.env.GO;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, 'go'))) return path.join(dir, 'go');
  }
  if (fs.existsSync('/usr/local/go/bin/go')) return '/usr/local/go/bin/go';
  throw new Error('go is not installed: the test cluster is built from Go modules (set GO=/path/to/go)');
}

function run(cmd, args, opts) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} failed: ${signal ?? `exit ${code}`}`)),
    );
  });
}

/**
 * Returns the directory holding the three binaries, building them first when
 * the cache has none. Concurrent callers wait for one build (a lock file).
 * @param {{ log?: (msg: string) => void }} [opts]
 */
export async function ensureBinaries({ log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  const dir = binaryDir();
  if (haveAll(dir)) return dir;
  const versionDir = path.dirname(dir);
  fs.mkdirSync(versionDir, { recursive: true });
  return withLock(path.join(versionDir, 'build.lock'), { timeoutMs: 3 * 60 * 60 * 1000 }, async () => {
    if (haveAll(dir)) return dir;
    const { kubernetes, etcd } = pinnedVersions();
    const tmp = `${dir}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    log(`building kube-apiserver, kube-controller-manager ${kubernetes} and etcd ${etcd} into ${dir} (a cold build takes a while)`);
    const started = Date.now();
    // One invocation for all three, so shared packages compile once; the
    // `tool` pattern names the go.mod tool directives.
    try {
      await run(goBinary(), ['build', '-trimpath', '-ldflags', ldflags(kubernetes), '-o', `${tmp}/`, 'tool'], {
        cwd: GO_MODULE_DIR,
        env: toolEnv({ CGO_ENABLED: '0', GOFLAGS: '-mod=readonly -buildvcs=false' }),
      });
      if (!haveAll(tmp)) throw new Error(`go build finished but ${tmp} lacks one of ${BINARIES.join(', ')}`);
    } catch (e) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw e;
    }
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
    const seconds = Math.round((Date.now() - started) / 1000);
    fs.writeFileSync(
      path.join(versionDir, 'build.json'),
      JSON.stringify({ kubernetes, etcd, seconds, builtAt: new Date().toISOString(), go: execFileSync(goBinary(), ['env', 'GOVERSION'], { encoding: 'utf8' }).trim() }, null, 2),
    );
    log(`built in ${seconds} s`);
    return dir;
  });
}
