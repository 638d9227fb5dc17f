// Summarizes a V8 .cpuprofile (from `node --cpu-prof` or the inspector's Profiler): the hottest
// functions by self time and by total (inclusive) time, and self time per source file. Positions
// in esbuild bundles (dist/cli.js, the bench's warm.js) are mapped back to source through FILE.js.map.

import fs from 'node:fs';

interface CallFrame { functionName: string; url: string; lineNumber: number; columnNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
export interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

export interface HotEntry { name: string; where: string; ms: number; pct: number }
export interface ProfileSummary { totalMs: number; self: HotEntry[]; total: HotEntry[]; engine: HotEntry[]; files: HotEntry[] }

// ---------- source maps (esbuild writes FILE.js.map next to each bundle) ----------
interface Seg { col: number; src: number; line: number }
interface SourceMap { sources: string[]; lines: Seg[][] }
const maps = new Map<string, SourceMap | undefined>();
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function loadMap(url: string): SourceMap | undefined {
  if (maps.has(url)) return maps.get(url);
  let sm: SourceMap | undefined;
  try {
    const file = url.startsWith('file://') ? new URL(url).pathname : url;
    const raw = JSON.parse(fs.readFileSync(`${file}.map`, 'utf8')) as { sources: string[]; mappings: string };
    const lines: Seg[][] = [];
    let src = 0, line = 0;
    for (const l of raw.mappings.split(';')) {
      const segs: Seg[] = [];
      let col = 0;
      for (const seg of l.split(',')) {
        if (!seg) continue;
        const vals: number[] = [];
        let shift = 0, acc = 0;
        for (const ch of seg) {
          const d = B64.indexOf(ch);
          acc += (d & 31) << shift;
          if (d & 32) { shift += 5; continue; }
          vals.push(acc & 1 ? -(acc >>> 1) : acc >>> 1);
          acc = 0; shift = 0;
        }
        col += vals[0]!;
        if (vals.length >= 4) { src += vals[1]!; line += vals[2]!; segs.push({ col, src, line }); }
      }
      lines.push(segs);
    }
    sm = { sources: raw.sources.map((s) => /(?:^|\/)((?:server|client|test|node_modules)\/.*)$/.exec(s)?.[1] ?? s), lines };
  } catch { sm = undefined; }
  maps.set(url, sm);
  return sm;
}

/** Original file:line (1-based) of a 0-based position in a bundle, when it has a source map. */
function original(url: string, line: number, col: number): string | undefined {
  const sm = url.endsWith('.js') ? loadMap(url) : undefined;
  const segs = sm?.lines[line];
  if (!sm || !segs?.length) return undefined;
  let best = segs[0]!;
  for (const s of segs) { if (s.col <= col) best = s; else break; }
  return `${sm.sources[best.src]}:${best.line + 1}`;
}

function where(cf: CallFrame): string {
  if (!cf.url) return cf.functionName.startsWith('(') ? cf.functionName : '(native)';
  return original(cf.url, cf.lineNumber, cf.columnNumber) ?? `${cf.url.replace(/^file:\/\//, '')}:${cf.lineNumber + 1}`;
}

export function summarizeProfile(profile: CpuProfile, top = 15): ProfileSummary {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const keys = new Map<number, string>();
  const key = (n: ProfileNode): string => {
    let k = keys.get(n.id);
    if (k === undefined) keys.set(n.id, (k = `${n.callFrame.functionName || '(anonymous)'}\t${where(n.callFrame)}`));
    return k;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const files = new Map<string, number>();
  let sum = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(profile.samples[i]!);
    if (!node) continue;
    sum += dt;
    const k = key(node);
    self.set(k, (self.get(k) ?? 0) + dt);
    const f = key(node).split('\t')[1]!.replace(/:\d+$/, '');
    files.set(f, (files.get(f) ?? 0) + dt);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const kk = key(byId.get(id)!);
      if (!seen.has(kk)) { seen.add(kk); total.set(kk, (total.get(kk) ?? 0) + dt); }
    }
  }
  const rows = (m: Map<string, number>, skip: (k: string) => boolean = () => false): HotEntry[] =>
    [...m].filter(([k]) => !skip(k)).sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, ms]) => {
      const [name, where] = k.split('\t');
      return { name: name!, where: where ?? '', ms: Math.round(ms * 10) / 10, pct: Math.round((ms / sum) * 1000) / 10 };
    });
  const boring = (k: string): boolean => /^\((root|program|idle|garbage collector)\)|^\(anonymous\)\t(node:|\(native\))/.test(k);
  const notEngine = (k: string): boolean => !k.includes('\tserver/src/engine/');
  return { totalMs: Math.round(sum), self: rows(self), total: rows(total, boring), engine: rows(total, notEngine), files: rows(files) };
}

export function formatSummary(title: string, s: ProfileSummary): string {
  const lines = [`  ${title} — ${s.totalMs} ms sampled`];
  const table = (h: string, rows: HotEntry[], withWhere = true): void => {
    lines.push(`    ${h}`);
    for (const r of rows) lines.push(`      ${r.pct.toFixed(1).padStart(5)}%  ${String(r.ms).padStart(8)} ms  ${r.name}${withWhere ? `  (${r.where})` : ''}`);
  };
  table('self time, by function', s.self);
  table('total (inclusive) time, by function', s.total);
  table('total (inclusive) time, engine functions only', s.engine);
  table('self time, by source file', s.files, false);
  return lines.join('\n');
}
