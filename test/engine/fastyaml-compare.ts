// The fast reader (engine/fastyaml.ts) against the `yaml` package's path (yamlio.parseYamlFile with
// the fast path off) for one text: the same documents, values (key order, number vs string, -0),
// ranges and annotations kept as text, or a reason the fast reader gave up.
import { FastBail, fastParseYamlOrBail } from '../../server/src/engine/fastyaml';
import { parseYamlFileFull, scalarFacts, type ParsedFile } from '../../server/src/engine/yamlio';

export type Outcome =
  | { kind: 'same'; docs: number }
  | { kind: 'bail'; reason: string }
  | { kind: 'full-error' } // the full path throws: the fast one must have given up (checked)
  | { kind: 'mismatch'; detail: string };

/** Where two JSON values differ ('' when they do not), key order and -0 included. */
export function jsonDiff(a: unknown, b: unknown, at = '$'): string {
  if (Object.is(a, b)) return '';
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return `${at}: ${show(a)} vs ${show(b)}`;
  if (Array.isArray(a) !== Array.isArray(b)) return `${at}: array vs object`;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return `${at}: length ${a.length} vs ${bb.length}`;
    for (let i = 0; i < a.length; i++) { const d = jsonDiff(a[i], bb[i], `${at}[${i}]`); if (d) return d; }
    return '';
  }
  const ka = Object.keys(a as object), kb = Object.keys(b as object);
  if (ka.join('\u0000') !== kb.join('\u0000')) return `${at}: keys ${show(ka)} vs ${show(kb)}`;
  for (const k of ka) { const d = jsonDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`); if (d) return d; }
  return '';
}

function show(v: unknown): string {
  if (typeof v === 'number' && Object.is(v, -0)) return '-0';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  const s = JSON.stringify(v);
  return s && s.length > 120 ? `${s.slice(0, 120)}…` : String(s);
}

/** With `yaml11`, as a kustomization file is read (go-yaml v2, repeated keys allowed). */
export function compareText(text: string, opts: { yaml11?: boolean } = {}): Outcome {
  let full: ParsedFile | undefined;
  try { full = parseYamlFileFull('x.yaml', text, opts.yaml11 ? { yaml11: true, uniqueKeys: false } : {}); } catch { full = undefined; }
  const fopts = opts.yaml11
    ? { version: 2 as const, annotationsAsText: false, roundTripFolded: false, facts: true }
    : { version: 3 as const, annotationsAsText: text.includes('annotations'), roundTripFolded: text.includes('>'), facts: true };
  let fast;
  try {
    fast = fastParseYamlOrBail(text, fopts);
  } catch (e) {
    if (e instanceof FastBail) return full ? { kind: 'bail', reason: e.reason } : { kind: 'full-error' };
    return { kind: 'mismatch', detail: `fast reader threw ${(e as Error).stack}` };
  }
  if (!full) return { kind: 'mismatch', detail: 'the full path throws but the fast reader read it' };
  if (fast.length !== full.documents.length) return { kind: 'mismatch', detail: `${fast.length} documents vs ${full.documents.length}` };
  for (let i = 0; i < fast.length; i++) {
    const f = fast[i]!, d = full.documents[i]!;
    const dv = jsonDiff(f.value, d.value);
    if (dv) return { kind: 'mismatch', detail: `doc ${i} value ${dv}` };
    const dr = jsonDiff(f.range, d.range);
    if (dr) return { kind: 'mismatch', detail: `doc ${i} range ${JSON.stringify(f.range)} vs ${JSON.stringify(d.range)}` };
    const fa = f.rawAnnotations ? [...f.rawAnnotations] : undefined;
    const da = d.rawAnnotations ? [...d.rawAnnotations] : undefined;
    const drw = jsonDiff(fa, da);
    if (drw) return { kind: 'mismatch', detail: `doc ${i} rawAnnotations ${drw}` };
    // scalarFacts as the `yaml` package's document gives them (sets and maps compared in order).
    const want = scalarFacts(full, i);
    const got = f.facts!;
    for (const k of ['empty', 'quoted', 'plainText'] as const) {
      const df = jsonDiff([...got[k]], [...want[k]]);
      if (df) return { kind: 'mismatch', detail: `doc ${i} scalarFacts.${k} ${df}` };
    }
  }
  return { kind: 'same', docs: fast.length };
}
