// The external renderers of gitopsLens.renderer: `kustomize build DIR` or `kubectl kustomize DIR`, run
// on the saved files (a process cannot see the editor's buffers). The engine stays pure; this is the
// only place the language server runs a renderer binary. Results are cached while the files the
// environment's last render read are unchanged on disk, so unsaved edits do not re-run it.

import { execFile } from 'node:child_process';

export interface ExternalRenderer {
  kind: 'kustomize' | 'kubectl';
  /** The binary (a path, or a name looked up on PATH). */
  command: string;
  /** When set: kustomize's --enable-helm with this --helm-command. */
  helmCommand?: string;
}

export interface ExternalOutput { yaml: string; stderr: string; error?: string; ms: number }

/** `kustomize build DIR` / `kubectl kustomize DIR`, with --enable-helm when a helm binary is given. */
export function externalArgs(r: ExternalRenderer, dir: string): string[] {
  const args = r.kind === 'kubectl' ? ['kustomize', dir] : ['build', dir];
  if (r.helmCommand) args.push('--enable-helm', '--helm-command', r.helmCommand);
  return args;
}

export function describeRenderer(r: ExternalRenderer): string {
  return r.kind === 'kubectl' ? 'kubectl kustomize' : 'kustomize build';
}

/** Runs the renderer (asynchronously: the server keeps answering). Never throws: failures are `error`. */
export function runExternal(r: ExternalRenderer, dir: string, timeoutMs = 120_000): Promise<ExternalOutput> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    execFile(r.command, externalArgs(r, dir), { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs, windowsHide: true }, (err, stdout, stderr) => {
      const ms = performance.now() - t0;
      if (!err) { resolve({ yaml: stdout, stderr, ms }); return; }
      const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: string | number };
      let error: string;
      if (e.code === 'ENOENT') error = `${describeRenderer(r)}: '${r.command}' was not found (gitopsLens.${r.kind === 'kubectl' ? 'kubectlPath' : 'kustomizePath'}, or set gitopsLens.renderer to builtin)`;
      else if (e.killed) error = `${describeRenderer(r)} did not finish within ${Math.round(timeoutMs / 1000)} s`;
      else error = (stderr || e.message).trim().replace(/^Error: /, '');
      resolve({ yaml: '', stderr, error, ms });
    });
  });
}

/** A cache of external renders by environment folder, valid while the signature (disk versions of its files) holds. */
export class ExternalCache {
  private entries = new Map<string, { key: string; out: Promise<ExternalOutput> }>();

  get(dir: string, key: string, run: () => Promise<ExternalOutput>): Promise<ExternalOutput> {
    const hit = this.entries.get(dir);
    if (hit && hit.key === key) return hit.out;
    const out = run();
    this.entries.set(dir, { key, out });
    return out;
  }

  clear(): void { this.entries.clear(); }
}
