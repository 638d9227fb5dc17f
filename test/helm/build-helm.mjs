#!/usr/bin/env node
// Builds the pinned helm v3 that the helm tests run (no helm ships on the machine), from the Go
// module proxy, into ~/.cache/gitops-lens/helm/<version>/helm, and prints that path. The version
// is the one test/helm/go/go.mod requires (go.sum pins the sums); a second run finds the binary
// and its stamp and returns at once. Only this go.mod/go.sum are the project's: helm's source and
// binary never enter the repository.
//
//   node test/helm/build-helm.mjs            prints the helm path (building it when missing)
//   node test/helm/build-helm.mjs --rebuild  builds again even when cached
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { toolEnv } from '../../scripts/tool-env.mjs';

const moduleDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'go');

/** `require` versions from go.mod, by module path. */
function requires(goMod) {
  const out = new Map();
  for (const m of goMod.matchAll(/^\s*(?:require\s+)?(\S+)\s+(v\S+)(?:\s*\/\/.*)?$/gm)) out.set(m[1], m[2]);
  return out;
}

export function helmVersion() {
  const v = requires(fs.readFileSync(path.join(moduleDir, 'go.mod'), 'utf8')).get('helm.sh/helm/v3');
  if (!v) throw new Error(`${moduleDir}/go.mod requires no helm.sh/helm/v3`);
  return v;
}

function ldflags(goMod, version) {
  // As helm's Makefile: the version, and the Kubernetes version that `helm template` reports as
  // .Capabilities.KubeVersion by default (client-go v0.X.Y is Kubernetes 1.X).
  const clientGo = requires(goMod).get('k8s.io/client-go');
  const flags = ['-s', '-w', `-X helm.sh/helm/v3/internal/version.version=${version}`, '-X helm.sh/helm/v3/internal/version.gitTreeState=clean'];
  const m = clientGo && /^v0\.(\d+)\./.exec(clientGo);
  if (m) {
    for (const pkg of ['helm.sh/helm/v3/pkg/chartutil', 'helm.sh/helm/v3/pkg/lint/rules']) {
      flags.push(`-X ${pkg}.k8sVersionMajor=1`, `-X ${pkg}.k8sVersionMinor=${m[1]}`);
    }
  }
  return flags.join(' ');
}

/** go on PATH, else the toolchain's usual home (CI may run with a bare PATH). */
function goBinary() {
  if (process.env.GO) return process.env.GO;
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0) return 'go';
  for (const p of ['/usr/local/go/bin/go', '/usr/lib/go/bin/go']) if (fs.existsSync(p)) return p;
  throw new Error('no go toolchain found (on PATH, in /usr/local/go, or as $GO): helm is built from the Go module proxy with it');
}

export function cacheRoot() {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'gitops-lens', 'helm');
}

/** The helm binary's path, built first when it is missing or was built from other inputs. */
export function ensureHelm({ rebuild = false, log = (s) => process.stderr.write(s) } = {}) {
  const goMod = fs.readFileSync(path.join(moduleDir, 'go.mod'), 'utf8');
  const goSum = fs.readFileSync(path.join(moduleDir, 'go.sum'), 'utf8');
  const version = helmVersion();
  const flags = ldflags(goMod, version);
  const stamp = crypto.createHash('sha256').update(goMod).update('\0').update(goSum).update('\0').update(flags).digest('hex');
  const dir = path.join(cacheRoot(), version);
  const bin = path.join(dir, 'helm');
  const stampFile = path.join(dir, 'stamp');
  if (!rebuild && fs.existsSync(bin) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8').trim() === stamp) return bin;

  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `helm.${process.pid}.tmp`);
  const t0 = Date.now();
  log(`building helm ${version} into ${bin} (go build, cold: several minutes on 2 cores)\n`);
  const env = toolEnv({ CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly -buildvcs=false', GOWORK: 'off' });
  const r = spawnSync('nice', [goBinary(), 'build', '-trimpath', '-ldflags', flags, '-o', tmp, 'helm.sh/helm/v3/cmd/helm'], {
    cwd: moduleDir, env, stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.error || r.status !== 0) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`building helm ${version} failed: ${r.error?.message ?? `go build exited ${r.status}`}`);
  }
  const reported = execFileSync(tmp, ['version', '--template', '{{.Version}}'], { encoding: 'utf8' }).trim();
  if (reported !== version) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`built helm says it is ${reported}, expected ${version}`);
  }
  fs.renameSync(tmp, bin);
  fs.writeFileSync(stampFile, `${stamp}\n`);
  log(`built helm ${version} in ${((Date.now() - t0) / 1000).toFixed(1)}s\n`);
  return bin;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.stdout.write(`${ensureHelm({ rebuild: process.argv.includes('--rebuild') })}\n`);
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
}
