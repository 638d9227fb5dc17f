// Compares two `kustomize build` outputs as YAML documents (parsed with the `yaml` package): same
// number of documents, same order, and each document deeply equal (map key order ignored, as a
// YAML consumer would). Reports the first difference with its document and field path.

import { parseAllDocuments } from 'yaml';

export interface Comparison {
  same: boolean;
  bytesIdentical: boolean;
  documents: [number, number];
  /** Human-readable first difference, when not the same. */
  firstDifference?: string;
}

function parseStream(text: string): unknown[] {
  return parseAllDocuments(text).map((d) => {
    if (d.errors.length) throw new Error(`YAML error: ${d.errors[0]!.message}`);
    return d.toJS({ maxAliasCount: -1 });
  }).filter((d) => d !== null && d !== undefined);
}

function describe(doc: unknown): string {
  const o = (doc ?? {}) as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
  const ns = o.metadata?.namespace ? `${String(o.metadata.namespace)}/` : '';
  return `${String(o.kind)} ${ns}${String(o.metadata?.name)}`;
}

const show = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? 'undefined (absent)' : s.length > 200 ? `${s.slice(0, 200)}…` : s;
};

/** The path to the first place a and b differ, or undefined when equal. */
function firstDiff(a: unknown, b: unknown, path: string): string | undefined {
  if (a === b) return undefined;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object' || Array.isArray(a) !== Array.isArray(b)) {
    return `${path || '(document)'}: ${show(a)} vs ${show(b)}`;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstDiff(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(ao), ...Object.keys(bo)])].sort();
  for (const k of keys) {
    const d = firstDiff(ao[k], bo[k], path ? `${path}.${k}` : k);
    if (d) return d;
  }
  return undefined;
}

/** `ours` is the CLI's output, `theirs` kubectl's. */
export function compareStreams(ours: string, theirs: string): Comparison {
  const a = parseStream(ours);
  const b = parseStream(theirs);
  const out: Comparison = { same: true, bytesIdentical: ours === theirs, documents: [a.length, b.length] };
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = firstDiff(a[i], b[i], '');
    if (d) {
      out.same = false;
      out.firstDifference = `document ${i + 1} (ours: ${a[i] === undefined ? '-' : describe(a[i])}, kubectl: ${b[i] === undefined ? '-' : describe(b[i])}): ${d}`;
      break;
    }
  }
  if (out.same && a.length !== b.length) {
    out.same = false;
    out.firstDifference = `document count ${a.length} (ours) vs ${b.length} (kubectl)`;
  }
  return out;
}
