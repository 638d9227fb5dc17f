// The code lenses of the cluster link: above a kustomization, each linked environment's summary and
// its agent's sync status; above each resource document, its object's state in each environment
// that renders it. Each lens runs a command the client registers: showLiveDiff opens the diff editor
// (args: link id, object id or nothing), showClusterStatus shows a link, how it was found and the
// agent's status (arg: link id).

import { parseAllDocuments } from 'yaml';
import type { CodeLens } from 'vscode-languageserver';
import type { ObjectDiff } from '../cluster/index';
import { COMMANDS } from '../contributes';
import { textOf } from '../features/common';
import { isKustomizationFile } from '../workspace/roots';
import type { WorkspaceView } from '../workspace/view';
import { outageOf, type LinkState } from './link-state';
import { statusOf } from './status';

/** The lenses of `file` from the links of the environments it belongs to. */
export function clusterLenses(ws: WorkspaceView, file: string, links: Iterable<LinkState>): CodeLens[] {
  const envDirs = new Set(ws.environmentsForFile(file).map((e) => e.dir));
  const states = [...links].filter((st) => envDirs.has(st.env.dir));
  if (!states.length) return [];
  const at = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 0 } });
  const out: CodeLens[] = [];
  if (isKustomizationFile(file)) {
    for (const st of states) {
      const s = statusOf(st);
      const icon = s.state === 'error' ? '$(warning) ' : s.state === 'partial' ? '$(warning) ' : s.busy ? '$(sync~spin) ' : '';
      out.push({ range: at(0), command: { title: icon + s.summary, command: COMMANDS.showLiveDiff, arguments: [st.info.id] } });
      out.push({ range: at(0), command: { title: agentLine(st), command: COMMANDS.showClusterStatus, arguments: [st.info.id] } });
    }
    return out;
  }
  // A resource file: one lens per document and linked environment, with that document's object(s).
  const text = textOf(ws, file);
  if (text === undefined) return [];
  const docs = documentStarts(text);
  for (const st of states) {
    const head = `${st.info.label} (${st.link.context}): `;
    if (!st.diff || (st.diff.status === 'error')) {
      const s = statusOf(st);
      out.push({ range: at(docs[0] ?? 0), command: { title: (s.state === 'error' ? '$(warning) ' : '') + s.summary, command: COMMANDS.showLiveDiff, arguments: [st.info.id] } });
      continue;
    }
    const outage = outageOf(st);
    const mine = st.diff.objects.filter((o) => o.source?.file === file);
    const perDoc = new Map<number, ObjectDiff[]>();
    for (const o of mine) {
      const line = o.source?.range?.start.line ?? 0;
      let doc = docs[0] ?? 0;
      for (const s of docs) if (s <= line) doc = s;
      const l = perDoc.get(doc) ?? [];
      l.push(o);
      perDoc.set(doc, l);
    }
    for (const [line, objs] of [...perDoc].sort((a, b) => a[0] - b[0])) {
      for (const o of objs) {
        const title = (outage ? '$(warning) ' : o.state === 'error' ? '$(warning) ' : '') + head + objectLine(o) + (outage ? ` — ${outage.message}` : '');
        out.push({ range: at(line), command: { title, command: COMMANDS.showLiveDiff, arguments: [st.info.id, o.id] } });
      }
    }
  }
  return out;
}

/** The agent's status as a lens: `Flux apps: Ready (ReconciliationSucceeded) · applied main@abc1234 (HEAD)`. */
function agentLine(st: LinkState): string {
  const a = st.link.agent;
  if (!a) return `linked by ${st.info.foundBy === 'setting' ? 'setting' : st.info.foundBy} (no agent object)`;
  const who = `${a.kind === 'flux' ? 'Flux' : 'Argo CD'} ${a.name}`;
  const s = st.status;
  if (!s) return `${who}: …`;
  if (s.fault) return `$(warning) ${who}: ${s.fault.message}`;
  return `${who}: ${s.summary || 'no status yet'}`;
}

function objectLine(o: ObjectDiff): string {
  const approx = o.approximate ? ' (approximate)' : '';
  switch (o.state) {
    case 'unchanged': return `in sync${o.note ? ` (${o.note})` : ''}`;
    case 'changed': return `changed · ${o.paths.slice(0, 3).join(', ')}${o.paths.length > 3 ? ` +${o.paths.length - 3}` : ''}${approx}`;
    case 'new': return `new${approx}`;
    case 'prune': return 'to prune';
    case 'skipped': return `skipped${o.note ? ` (${o.note})` : ''}`;
    default: return `not compared: ${o.fault?.message ?? 'error'}`;
  }
}

/** The line each YAML document's content starts on. */
function documentStarts(text: string): number[] {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const lineOf = (off: number): number => {
    let lo = 0; let hi = lineStarts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (lineStarts[mid]! <= off) lo = mid; else hi = mid - 1; }
    return lo;
  };
  try {
    const docs = parseAllDocuments(text, { uniqueKeys: false });
    const list = Array.isArray(docs) ? docs : [];
    return list.map((d) => lineOf((d.contents?.range?.[0]) ?? d.range[0]));
  } catch {
    return [0];
  }
}
