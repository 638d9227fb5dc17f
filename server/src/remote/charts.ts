// Charts from Helm repositories, fetched with the real helm (`helm pull CHART --repo URL --version V
// --untar`) into the remote cache (~/.cache/gitops-lens/remote/charts), keyed by repository, chart and
// version, and kept until the cache is cleared. helm's own repository configuration supplies any
// credentials; nothing is added. Used by `gitops-lens render --enable-remote`.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cacheKey, remoteCacheDir } from './fetcher';

export interface ChartRef { repoURL: string; chart: string; version: string }

/** The folder of the pulled chart, or why it could not be had. */
export function pullChart(ref: ChartRef, helm: string, cacheDir = remoteCacheDir()): { dir: string } | { error: string } {
  if (/^oci:\/\//i.test(ref.repoURL)) return { error: `${ref.repoURL}: charts from OCI registries are not fetched yet` };
  const key = cacheKey(`${ref.repoURL}\u0000${ref.chart}\u0000${ref.version}`);
  const dir = path.join(cacheDir, 'charts', key);
  const chartDir = path.join(dir, ref.chart);
  if (fs.existsSync(path.join(chartDir, 'Chart.yaml'))) return { dir: chartDir };
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const tmp = fs.mkdtempSync(`${dir}.tmp-`);
  const args = ['pull', ref.chart, '--repo', ref.repoURL, '--untar', '--untardir', tmp];
  if (ref.version) args.push('--version', ref.version);
  const r = spawnSync(helm, args, { encoding: 'utf8', timeout: 120_000 });
  if (r.error || r.status !== 0) {
    fs.rmSync(tmp, { recursive: true, force: true });
    return { error: `helm pull ${ref.chart} from ${ref.repoURL}${ref.version ? ` (version ${ref.version})` : ''}: ${(r.error?.message ?? r.stderr).trim()}` };
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  return { dir: chartDir };
}
