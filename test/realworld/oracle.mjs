// The oracle the real-world harnesses share: `kubectl kustomize --enable-helm` (with the helm the
// project builds) on one kustomization root of a pinned repository, its answer cached per pinned
// commit, kubectl version and helm binary (the oracle does not change while they do).
import { execFile, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir, checkoutDir, slug } from './repos.mjs';

/** Runs a command; never throws: { ok, stdout, stderr, ms }. */
export function run(cmd, argv, { cwd, timeout = 60, env } = {}) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    execFile(cmd, argv, { cwd, env, timeout: timeout * 1000, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8', killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      resolve({ ok: !err, stdout, stderr: err && err.killed ? `timed out after ${timeout}s\n${stderr}` : stderr, ms });
    });
  });
}

/** kubectl's version line and the helm arguments; exits with a clear message when kubectl is missing. */
export async function oracle({ timeout = 60 } = {}) {
  let kubectlVersion;
  try {
    kubectlVersion = execFileSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  } catch (e) { process.stderr.write(`this harness needs kubectl on PATH: ${e.message}\n`); process.exit(2); }
  const kv = JSON.parse(kubectlVersion);
  const name = `kubectl ${kv.clientVersion.gitVersion} (kustomize ${kv.kustomizeVersion})`;
  const { ensureHelm } = await import('../helm/build-helm.mjs');
  const helm = ensureHelm();
  const helmArgs = ['--enable-helm', '--helm-command', helm];
  const dir = path.join(cacheDir(), 'oracle', crypto.createHash('sha256').update(name).update(helm).digest('hex').slice(0, 12));
  /** kubectl kustomize on `root` (relative to the checkout) of `repo`, cached. */
  async function build(repo, root) {
    const file = path.join(dir, slug(repo), `${crypto.createHash('sha256').update(root).digest('hex').slice(0, 16)}.json`);
    if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8'));
    const r = await run('kubectl', ['kustomize', root, ...helmArgs], { cwd: checkoutDir(repo), timeout });
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ root, ...r }));
    return r;
  }
  /** kubectl kustomize on `root` inside another tree (not cached). */
  const buildIn = (cwd, root) => run('kubectl', ['kustomize', root, ...helmArgs], { cwd, timeout });
  return { name, helm, helmArgs, build, buildIn };
}

/** kubectl failed because something had to come from the network (a remote base or chart). */
export const NETWORK = /(https?:\/\/|git@[\w.-]+:|ssh:\/\/|git::|oci:\/\/|github\.com\/|Could not resolve host|no such host|dial tcp|network is unreachable)/i;
