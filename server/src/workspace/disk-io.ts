// WorkspaceIO on the real machine: the disk (guarded against huge and binary files), fetch, and
// processes (helm, the external renderers). The language server and the benches use it.

import { execFile } from 'node:child_process';
import { describeRenderer, externalArgs } from './external';
import { helmRunner } from './helm';
import { GuardedDiskHost } from './host';
import type { ExternalOutput, ExternalRenderer, WorkspaceIO } from './io';
import { RemoteFetcher } from '../remote/fetcher';

export function diskIO(): WorkspaceIO {
  return {
    files: new GuardedDiskHost(),
    async fetchText(url) {
      const res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
      return { status: res.status, text: res.ok ? await res.text() : '' };
    },
    helmRunner: (binary, overrides, hint) => helmRunner(binary, overrides, hint),
    runRenderer: (r, dir) => runExternal(r, dir),
    remoteSources: (events) => new RemoteFetcher(events),
    env: (name) => process.env[name],
  };
}

/** Runs the renderer (asynchronously: the server keeps answering). Never throws: failures are `error`. */
function runExternal(r: ExternalRenderer, dir: string, timeoutMs = 120_000): Promise<ExternalOutput> {
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
