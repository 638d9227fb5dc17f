// Which files' diagnostics to publish, and when: the files a render touched, the files whose
// earlier errors may have moved, the one "not schema-checked" notice per kind when it moves; each
// file's diagnostics computed by features/diagnostics.ts and sent only when they changed.

import type { Diagnostic } from 'vscode-languageserver';
import { diagnosticsFor } from './features/diagnostics';
import type { Environment, RenderState } from './workspace/types';
import type { WorkspaceView } from './workspace/view';

export class DiagnosticsPublisher {
  /** What was last sent, by file. */
  readonly published = new Map<string, Diagnostic[]>();
  private publishedJson = new Map<string, string>();
  private pending = new Set<string>();
  private lastFlush = 0;
  /** Where each kind's one "not schema-checked" notice was last shown: when that moves, both files are published again. */
  private uncheckedAt = new Map<string, { file: string; sig: string }>();

  constructor(private readonly ws: WorkspaceView, private readonly send: (file: string, diagnostics: Diagnostic[]) => void, private readonly log: (message: string) => void) {}

  add(file: string): void { this.pending.add(file); }

  /** An environment rendered: its error files, the files it read, its roots' kustomizations. */
  rendered(env: Environment, st: RenderState): void {
    for (const e of st.errors) this.pending.add(this.ws.errorFile(e.source, env.dir));
    for (const f of st.files) this.pending.add(f);
    for (const d of this.ws.reachableRoots(env.dir)) { const r = this.ws.roots.get(d); if (r) this.pending.add(r.file); }
    if (performance.now() - this.lastFlush > 200) this.flush();
  }

  /** Files whose diagnostics depend on an edit of `file` besides itself: the roots naming it, previous error locations. */
  noteEdit(file: string): void {
    this.pending.add(file);
    for (const r of this.ws.rootsReferencing(file)) this.pending.add(r.file);
    for (const d of this.ws.rootsReading(file)) for (const e of this.ws.renders.get(d)?.errors ?? []) this.pending.add(this.ws.errorFile(e.source, d));
  }

  flush(): void {
    this.lastFlush = performance.now();
    const now = new Map([...this.ws.uncheckedKinds()].map(([k, u]) => [k, { file: u.source.file, sig: `${u.source.file}|${u.name}|${u.objects}` }]));
    for (const [k, u] of now) {
      const was = this.uncheckedAt.get(k);
      if (was?.sig !== u.sig) { this.pending.add(u.file); if (was) this.pending.add(was.file); }
    }
    for (const [k, u] of this.uncheckedAt) if (!now.has(k)) this.pending.add(u.file);
    this.uncheckedAt = now;
    const files = [...this.pending];
    this.pending.clear();
    for (const f of files) this.publish(f);
  }

  private publish(file: string): void {
    let diags: Diagnostic[];
    try {
      diags = diagnosticsFor(this.ws, file);
    } catch (e) {
      this.log(`diagnostics of ${file} failed: ${(e as Error).stack ?? e}`);
      return;
    }
    const json = JSON.stringify(diags);
    if ((this.publishedJson.get(file) ?? '[]') === json) return;
    this.publishedJson.set(file, json);
    this.published.set(file, diags);
    this.send(file, diags);
  }
}
