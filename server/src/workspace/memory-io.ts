// WorkspaceIO in memory: a file tree, URLs answered from a table, and no processes (helm and the
// external renderers fail saying so, as a missing binary would). The in-process feature tests build
// a whole workspace on it; it runs in a browser as well.

import { KustomizeError, MemoryHost } from '../engine/index';
import type { WorkspaceIO } from './io';

export interface MemoryIO extends WorkspaceIO { readonly files: MemoryHost }

export function memoryIO(files: Record<string, string> = {}, urls: Record<string, string> = {}, env: Record<string, string> = {}): MemoryIO {
  return {
    files: new MemoryHost(files),
    fetchText: async (url) => (url in urls ? { status: 200, text: urls[url]! } : { status: 404, text: '' }),
    helmRunner: (binary) => () => { throw new KustomizeError(`helm '${binary}' cannot run here: this workspace is in memory, with no processes`); },
    runRenderer: async (r) => ({ yaml: '', stderr: '', error: `'${r.command}' cannot run here: this workspace is in memory, with no processes`, ms: 0 }),
    remoteSources: () => undefined,
    env: (name) => env[name],
  };
}
