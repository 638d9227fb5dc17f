// The `vars` -> `replacements` quick fix, offered only where the rewrite keeps the output identical:
//  - the kustomization is an environment's top (nothing includes it): vars resolve once at the top
//    of the build, so a replacement in an included root would run before the includers' prefixes,
//    suffixes and patches, and could read or write other values;
//  - every use of each var is a whole field value (`value: $(SERVICE)`): replacements set whole
//    fields (or delimiter-separated parts), vars also splice into the middle of strings
//    (`http://$(SERVICE):80`), which replacements cannot say;
//  - every var reads a string (vars give `$(N)` the value's type, a replacement into the string
//    field that held `$(N)` writes a string);
//  - no var reads a name that gets a content-hash suffix (kustomize adds the hash after the
//    kustomization's replacements have run; vars saw the suffixed name).
// When one condition fails the action is returned disabled, with the reason.

import path from 'node:path';
import { isObject, type JsonValue, parseOriginPath, rangeOfPath, type Resource } from '../engine/index';
import type { WorkspaceView } from '../workspace/view';

export interface VarsConversion { replacements?: JsonValue[]; reason?: string }

function lookup(obj: JsonValue, dotted: string): JsonValue | undefined {
  let cur: JsonValue | undefined = obj;
  for (const seg of dotted.split('.')) {
    if (Array.isArray(cur) && /^\d+$/.test(seg)) cur = cur[Number(seg)];
    else if (isObject(cur)) cur = cur[seg];
    else return undefined;
  }
  return cur;
}

/** `spec.containers[0].env[1].value` in the rendered object -> `spec.containers.[name=app].env.[name=X].value`. */
function replacementPath(obj: JsonValue, originPath: string): string {
  const out: string[] = [];
  let cur: JsonValue | undefined = obj;
  for (const seg of parseOriginPath(originPath)) {
    if (typeof seg === 'number' && Array.isArray(cur)) {
      const item: JsonValue | undefined = cur[seg];
      out.push(isObject(item) && typeof item.name === 'string' ? `[name=${item.name}]` : String(seg));
      cur = item;
    } else if (typeof seg === 'number') {
      out.push(`[${seg}]`);
      cur = undefined;
    } else {
      out.push(seg.includes('.') ? `[${seg}]` : seg);
      cur = isObject(cur) ? cur[seg] : undefined;
    }
  }
  return out.join('.');
}

export function varsToReplacements(ws: WorkspaceView, kustomization: string): VarsConversion {
  const dir = path.dirname(kustomization);
  const root = ws.roots.get(dir);
  if (!root?.raw || !root.parsed || !Array.isArray(root.raw.vars)) return { reason: 'no vars to convert' };
  if (ws.includers(dir).size > 0) return { reason: 'this kustomization is included by others: its vars resolve at the top of each of them, after their name changes and patches, which a replacement here would not see' };
  const st = ws.render(dir);
  if (!st.result || st.errors.length) return { reason: 'the kustomization does not render without errors' };
  const resources = st.result.resources;
  const out: JsonValue[] = [];
  for (let i = 0; i < root.raw.vars.length; i++) {
    const v = root.raw.vars[i];
    if (!isObject(v) || !isObject(v.objref) || typeof v.name !== 'string') return { reason: `vars[${i}] is incomplete` };
    const ref = v.objref;
    const fieldPath = isObject(v.fieldref) && typeof v.fieldref.fieldpath === 'string' ? v.fieldref.fieldpath : 'metadata.name';
    const line = rangeOfPath(root.parsed, root.docIndex, ['vars', i])?.start.line;
    const bound = resources.find((r) => r.kind === ref.kind && (r.name === ref.name || r.previousIds.some((x) => x.name === ref.name)));
    if (!bound) return { reason: `var ${v.name}: no rendered ${String(ref.kind)} ${String(ref.name)}` };
    if (fieldPath === 'metadata.name' && (bound.fieldOrigins.get('metadata.name') ?? []).some((c) => c.by === 'hash suffix')) {
      return { reason: `var ${v.name} reads the name of ${bound.kind} ${bound.name}, which gets a content-hash suffix after replacements run` };
    }
    const value = lookup(bound.obj, fieldPath.replace(/\[(\d+)\]/g, '.$1'));
    if (typeof value !== 'string') return { reason: `var ${v.name} reads a ${typeof value} (${fieldPath}): vars write it with its type where a field is exactly $(${v.name}), a replacement into that string field writes a string` };
    const targets = new Map<Resource, string[]>();
    for (const r of resources) {
      for (const [p, changes] of r.fieldOrigins) {
        for (const c of changes) {
          if (c.by !== 'vars' || c.source.file !== root.file || c.source.range?.start.line !== line) continue;
          if (String(c.value) !== String(value)) return { reason: `var ${v.name} is used inside a larger string in ${r.kind} ${r.name} (${p}); replacements set whole fields` };
          const list = targets.get(r) ?? [];
          list.push(replacementPath(r.obj, p));
          targets.set(r, list);
        }
      }
    }
    if (!targets.size) continue; // unused: dropping it changes nothing
    const source: Record<string, JsonValue> = { kind: String(ref.kind), name: String(ref.name) };
    if (typeof ref.namespace === 'string') source.namespace = ref.namespace;
    const api = typeof ref.apiVersion === 'string' ? ref.apiVersion : undefined;
    if (api?.includes('/')) { source.group = api.split('/')[0]!; source.version = api.split('/')[1]!; } else if (api) source.version = api;
    source.fieldPath = fieldPath.replace(/\[(\d+)\]/g, '.$1');
    out.push({
      source,
      targets: [...targets].map(([r, fieldPaths]) => ({ select: { kind: r.kind, name: r.previousIds[0]?.name ?? r.name }, fieldPaths: [...new Set(fieldPaths)] })),
    });
  }
  return { replacements: out };
}
