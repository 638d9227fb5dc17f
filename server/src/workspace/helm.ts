// Runs `helm template` for helmCharts, as kustomize --enable-helm does. Lives outside the engine,
// which never spawns processes; the engine receives this as its HelmRunner.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { HelmRequest } from '../engine/index';
import { KustomizeError } from '../engine/resource';

/** The helm binary to use: the configured one, else `helm` on PATH; undefined when there is none. */
export function findHelm(configured?: string): string | undefined {
  if (configured) return configured;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, 'helm');
    try { fs.accessSync(p, fs.constants.X_OK); return p; } catch { /* next */ }
  }
  return undefined;
}

export function helmRunner(helm: string) {
  return (req: HelmRequest): string => {
    const c = req.chart as Record<string, unknown>;
    const name = String(c.name ?? '');
    const chartHome = path.resolve(req.kustomizationDir, String(req.globals.chartHome ?? 'charts'));
    const local = path.join(chartHome, name);
    const args = ['template', String(c.releaseName ?? name)];
    if (fs.existsSync(local)) args.push(local);
    else if (c.repo) args.push(name, '--repo', String(c.repo));
    else throw new KustomizeError(`helm chart '${name}' not found in ${chartHome} and no repo given (remote charts are not fetched)`);
    if (c.version && !fs.existsSync(local)) args.push('--version', String(c.version));
    if (c.namespace) args.push('--namespace', String(c.namespace));
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-lens-helm-'));
    try {
      if (c.valuesFile) args.push('--values', path.resolve(req.kustomizationDir, String(c.valuesFile)));
      for (const f of (c.additionalValuesFiles as string[] | undefined) ?? []) args.push('--values', path.resolve(req.kustomizationDir, f));
      if (c.valuesInline) {
        const f = path.join(tmp, 'values-inline.yaml');
        fs.writeFileSync(f, stringify(c.valuesInline));
        args.push('--values', f);
      }
      if (c.includeCRDs) args.push('--include-crds');
      if (c.skipHooks) args.push('--no-hooks');
      if (c.skipTests) args.push('--skip-tests');
      if (c.kubeVersion) args.push('--kube-version', String(c.kubeVersion));
      for (const v of (c.apiVersions as string[] | undefined) ?? []) args.push('--api-versions', v);
      try {
        return execFileSync(helm, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (e) {
        const err = e as { stderr?: string; message: string };
        throw new KustomizeError(`helm template failed: ${(err.stderr || err.message).trim()}`);
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  };
}
