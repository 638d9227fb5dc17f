// The one grammar of field-origin paths, the keys Resource.fieldOrigins is indexed by and hover,
// definition, the preview and the schema checks look fields up with: map keys joined by `.`, list
// indexes as `[i]` (`spec.template.spec.containers[0].image`). A key holding `.`, `[` or `]` reads
// back as several segments; kustomize's own path grammars (field specs' `a/b`, replacements'
// `a.[name=x].b`) are other things, in filters/fieldspec.ts and filters/fieldpath.ts.

/** Keys and list indexes → the origin path. */
export function formatOriginPath(parts: readonly (string | number)[]): string {
  let s = '';
  for (const p of parts) {
    if (typeof p === 'number') s += `[${p}]`;
    else s += s === '' ? p : `.${p}`;
  }
  return s;
}

/** The origin path → its keys (strings) and list indexes (numbers). */
export function parseOriginPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

/** The value at an origin path, if there is one. */
export function valueAtOriginPath(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const seg of parseOriginPath(path)) {
    if (cur === undefined || cur === null) return undefined;
    if (typeof seg === 'number') cur = Array.isArray(cur) ? cur[seg] : undefined;
    else cur = typeof cur === 'object' && !Array.isArray(cur) ? (cur as Record<string, unknown>)[seg] : undefined;
  }
  return cur;
}
