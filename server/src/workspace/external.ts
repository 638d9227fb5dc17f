// The external renderers of gitopsLens.renderer: `kustomize build DIR` or `kubectl kustomize DIR`, run
// on the saved files (a process cannot see the editor's buffers) through WorkspaceIO.runRenderer
// (disk-io.ts runs the binary). Results are cached while the files the environment's last render
// read are unchanged on disk, so unsaved edits do not re-run it.

import type { ExternalOutput, ExternalRenderer } from './io';

export type { ExternalOutput, ExternalRenderer };

/** `kustomize build DIR` / `kubectl kustomize DIR`, with --enable-helm when a helm binary is given. */
export function externalArgs(r: ExternalRenderer, dir: string): string[] {
  const args = r.kind === 'kubectl' ? ['kustomize', dir] : ['build', dir];
  if (r.helmCommand) args.push('--enable-helm', '--helm-command', r.helmCommand);
  return args;
}

export function describeRenderer(r: ExternalRenderer): string {
  return r.kind === 'kubectl' ? 'kubectl kustomize' : 'kustomize build';
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
