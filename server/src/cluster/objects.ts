// Object-level pieces of the live diff: the normalisation the agents apply before comparing,
// Argo CD's Secret masking, a client-side prediction of an apply (for users without dry-run
// rights, and Argo CD's client-side three-way comparison), ignore rules, and field-level diffs.

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Obj = { [k: string]: Json };

export const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
export const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const DROP_METADATA = ['managedFields', 'resourceVersion', 'uid', 'generation', 'creationTimestamp', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'];

/**
 * What the agents compare: no status, no server bookkeeping in metadata, no last-applied
 * annotation, empty label/annotation maps dropped, Secret stringData folded into data.
 */
export function normalize(o: Obj): Obj {
  const out = clone(o);
  delete out.status;
  const md = out.metadata;
  if (isObj(md)) {
    for (const k of DROP_METADATA) delete md[k];
    if (isObj(md.annotations)) {
      delete md.annotations[LAST_APPLIED];
      if (!Object.keys(md.annotations).length) delete md.annotations;
    }
    if (isObj(md.labels) && !Object.keys(md.labels).length) delete md.labels;
  }
  if (out.kind === 'Secret' && (out.apiVersion === 'v1')) foldStringData(out);
  return out;
}

/** stringData is write-only: the API server folds it into data (base64). */
function foldStringData(o: Obj): void {
  if (!isObj(o.stringData)) return;
  const data = isObj(o.data) ? o.data : (o.data = {});
  for (const [k, v] of Object.entries(o.stringData)) data[k] = Buffer.from(String(v ?? ''), 'utf8').toString('base64');
  delete o.stringData;
}

/**
 * Argo CD's HideSecretData: every value of a Secret's data becomes a run of '+'; equal values
 * share a placeholder and differing ones get placeholders of different lengths, so a change
 * stays visible while no value does. Masks the given objects in place (any may be undefined).
 */
export function maskSecrets(...objs: (Obj | undefined)[]): void {
  const present = objs.filter((o): o is Obj => !!o && o.kind === 'Secret');
  if (!present.length) return;
  for (const o of present) foldStringData(o);
  const keys = new Set<string>();
  for (const o of present) if (isObj(o.data)) for (const k of Object.keys(o.data)) keys.add(k);
  for (const k of keys) {
    let next = '++++++++';
    const seen = new Map<string, string>();
    for (const o of present) {
      if (!isObj(o.data) || !(k in o.data)) continue;
      const v = JSON.stringify(o.data[k]);
      let rep = seen.get(v);
      if (!rep) { rep = next; seen.set(v, rep); next += '++++'; }
      o.data[k] = rep;
    }
  }
  for (const o of present) {
    const ann = isObj(o.metadata) && isObj(o.metadata.annotations) ? o.metadata.annotations : undefined;
    if (ann && LAST_APPLIED in ann) ann[LAST_APPLIED] = '++++++++';
  }
}

/** Replaces any Secret value (raw or base64) that appears in a message by a placeholder. */
export function scrubMessage(message: string, secrets: Obj[]): string {
  let out = message;
  for (const s of secrets) {
    for (const field of ['data', 'stringData'] as const) {
      const d = s[field];
      if (!isObj(d)) continue;
      for (const v of Object.values(d)) {
        if (typeof v !== 'string' || v.length < 3) continue;
        const forms = field === 'data' ? [v, safeDecode(v)] : [v, Buffer.from(v).toString('base64')];
        for (const f of forms) if (f && f.length >= 3) out = out.split(f).join('++++++++');
      }
    }
  }
  return out;
}

function safeDecode(b64: string): string | undefined {
  try { return Buffer.from(b64, 'base64').toString('utf8'); } catch { return undefined; }
}

// ---- merging lists the way strategic merge does, by a key, when there is an evident one --------

const MERGE_KEYS = ['name', 'containerPort', 'mountPath', 'devicePath', 'ip', 'topologyKey', 'type'];

function mergeKeyOf(items: Json[]): string | undefined {
  if (!items.length || !items.every(isObj)) return undefined;
  for (const k of MERGE_KEYS) if ((items as Obj[]).every((i) => i[k] !== undefined && typeof i[k] !== 'object')) return k;
  if ((items as Obj[]).every((i) => i.port !== undefined)) return 'port';
  return undefined;
}

/** Merges `config` into `live` (maps recursively, keyed lists item by item, others replaced). */
function mergeInto(live: Json | undefined, config: Json): Json {
  if (isObj(config)) {
    const out: Obj = isObj(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(config)) out[k] = v === null ? null : mergeInto(out[k], v);
    for (const [k, v] of Object.entries(config)) if (v === null) delete out[k];
    return out;
  }
  if (Array.isArray(config)) {
    const key = mergeKeyOf(config);
    if (!key || !Array.isArray(live) || !live.every(isObj)) return clone(config);
    const liveItems = live as Obj[];
    const used = new Set<Obj>();
    const merged = (config as Obj[]).map((c) => {
      const l = liveItems.find((i) => i[key] === c[key] && !used.has(i));
      if (l) used.add(l);
      return mergeInto(l, c);
    });
    return merged;
  }
  return config;
}

/** Removes from `live` what `previous` set and `config` no longer sets (three-way apply). */
function removeDropped(live: Json | undefined, previous: Json | undefined, config: Json | undefined): Json | undefined {
  if (isObj(live) && isObj(previous)) {
    const out: Obj = { ...live };
    for (const k of Object.keys(previous)) {
      if (!(k in out)) continue;
      if (!isObj(config) || !(k in config)) delete out[k];
      else {
        const r = removeDropped(out[k], previous[k], config[k]);
        if (r === undefined) delete out[k];
        else out[k] = r;
      }
    }
    return out;
  }
  if (Array.isArray(live) && Array.isArray(previous) && Array.isArray(config)) {
    const key = mergeKeyOf([...previous, ...config]);
    if (!key || !live.every(isObj)) return live;
    return (live as Obj[]).filter((l) => {
      const inPrev = (previous as Obj[]).some((p) => p[key] === l[key]);
      const inConf = (config as Obj[]).some((c) => c[key] === l[key]);
      return !inPrev || inConf;
    }).map((l) => {
      const p = (previous as Obj[]).find((x) => x[key] === l[key]);
      const c = (config as Obj[]).find((x) => x[key] === l[key]);
      return p && c ? (removeDropped(l, p, c) as Obj) : l;
    });
  }
  return live;
}

/**
 * Removes from `live` the fields a field manager owns (managedFields fieldsV1) that `config`
 * no longer sets: what a server-side apply by that manager would drop.
 */
function removeOwnedDropped(live: Json | undefined, owned: Obj, config: Json | undefined): Json | undefined {
  if (isObj(live)) {
    const out: Obj = { ...live };
    for (const [fk, sub] of Object.entries(owned)) {
      if (!fk.startsWith('f:')) continue;
      const k = fk.slice(2);
      if (!(k in out)) continue;
      const c = isObj(config) ? config[k] : undefined;
      if (c === undefined) {
        delete out[k];
      } else if (isObj(sub) && Object.keys(sub).some((s) => s !== '.')) {
        const r = removeOwnedDropped(out[k], sub, c);
        if (r === undefined) delete out[k];
        else out[k] = r;
      }
    }
    return out;
  }
  if (Array.isArray(live)) {
    const conf = Array.isArray(config) ? config : [];
    let out = live.slice();
    for (const [fk, sub] of Object.entries(owned)) {
      if (fk.startsWith('k:')) {
        let keys: Obj;
        try { keys = JSON.parse(fk.slice(2)); } catch { continue; }
        const match = (i: Json): boolean => isObj(i) && Object.entries(keys).every(([k, v]) => JSON.stringify(i[k]) === JSON.stringify(v));
        const c = conf.find(match);
        const idx = out.findIndex(match);
        if (idx < 0) continue;
        if (c === undefined) out.splice(idx, 1);
        else if (isObj(sub)) out[idx] = removeOwnedDropped(out[idx], sub, c) as Json;
      } else if (fk.startsWith('v:')) {
        let v: Json;
        try { v = JSON.parse(fk.slice(2)); } catch { continue; }
        if (!conf.some((c) => JSON.stringify(c) === JSON.stringify(v))) out = out.filter((x) => JSON.stringify(x) !== JSON.stringify(v));
      }
    }
    return out;
  }
  return live;
}

/** The fieldsV1 a manager owns through Apply, or undefined. */
export function ownedFields(live: Obj, manager: string, operation?: 'Apply' | 'Update'): Obj | undefined {
  const mf = isObj(live.metadata) && Array.isArray(live.metadata.managedFields) ? live.metadata.managedFields : [];
  for (const e of mf) {
    if (isObj(e) && e.manager === manager && (!operation || e.operation === operation) && isObj(e.fieldsV1)) return e.fieldsV1;
  }
  return undefined;
}

/** Predicts the object after an apply of `config` over `live` without asking the server. */
export function predictApply(live: Obj, config: Obj, previous: { kind: 'managedFields'; owned?: Obj } | { kind: 'lastApplied'; config?: Obj }): Obj {
  let base: Json | undefined = clone(live);
  if (previous.kind === 'managedFields' && previous.owned) base = removeOwnedDropped(base, previous.owned, config);
  if (previous.kind === 'lastApplied' && previous.config) base = removeDropped(base, previous.config, config);
  return mergeInto(base, config) as Obj;
}

// ---- ignore rules ----------------------------------------------------------------------------

/** Removes the value at an RFC 6901 JSON pointer (no-op when absent). */
export function removePointer(o: Obj, pointer: string): void {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (!parts.length) return;
  let cur: Json = o;
  for (const p of parts.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(p)] as Json;
    else if (isObj(cur)) cur = cur[p] as Json;
    else return;
    if (cur === undefined) return;
  }
  const last = parts[parts.length - 1]!;
  if (Array.isArray(cur)) cur.splice(Number(last), 1);
  else if (isObj(cur)) delete cur[last];
}

/**
 * A jq path expression of the simple forms Argo CD users write (`.spec.replicas`,
 * `.metadata.annotations["a/b"]`, `.spec.template.spec.containers[] | select(.name == "x") | .image`)
 * turned into removals. Returns false when the expression is beyond this subset.
 */
export function removeJqPath(o: Obj, expr: string): boolean {
  const segs = expr.split('|').map((s) => s.trim());
  let targets: { parent: Json; key: string | number }[] = [{ parent: { root: o } as Obj, key: 'root' }];
  for (const seg of segs) {
    const sel = /^select\(\s*\.([A-Za-z0-9_-]+)\s*==\s*"([^"]*)"\s*\)$/.exec(seg);
    if (sel) {
      targets = targets.filter((t) => { const v = get(t); return isObj(v) && v[sel[1]!] === sel[2]; });
      continue;
    }
    const steps = parseJqSteps(seg);
    if (!steps) return false;
    for (const st of steps) {
      const next: typeof targets = [];
      for (const t of targets) {
        const v = get(t);
        if (st === '[]') { if (Array.isArray(v)) v.forEach((_, i) => next.push({ parent: v, key: i })); } else if (isObj(v) && typeof st === 'string' && st in v) next.push({ parent: v, key: st });
        else if (Array.isArray(v) && typeof st === 'number' && st < v.length) next.push({ parent: v, key: st });
      }
      targets = next;
    }
  }
  for (const t of targets.reverse()) {
    if (Array.isArray(t.parent)) t.parent.splice(t.key as number, 1);
    else if (isObj(t.parent)) delete t.parent[t.key as string];
  }
  return true;
  function get(t: { parent: Json; key: string | number }): Json | undefined {
    return Array.isArray(t.parent) ? t.parent[t.key as number] : isObj(t.parent) ? t.parent[t.key as string] : undefined;
  }
}

function parseJqSteps(s: string): (string | number | '[]')[] | undefined {
  const out: (string | number | '[]')[] = [];
  const re = /\.([A-Za-z_][A-Za-z0-9_-]*)|\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\]|\[\]|\.\["((?:[^"\\]|\\.)*)"\]/y;
  let i = 0;
  if (!s.startsWith('.')) return undefined;
  if (s === '.') return out;
  while (i < s.length) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) return undefined;
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(JSON.parse(`"${m[2]}"`));
    else if (m[3] !== undefined) out.push(Number(m[3]));
    else if (m[4] !== undefined) out.push(JSON.parse(`"${m[4]}"`));
    else out.push('[]');
    i = re.lastIndex;
  }
  return out;
}

// ---- comparing ---------------------------------------------------------------------------------

/** Field paths (dotted, [i] for list items) where a and b differ; empty when equal. */
export function differingPaths(a: Json | undefined, b: Json | undefined, prefix = '', out: string[] = []): string[] {
  if (a === b) return out;
  if (isObj(a) && isObj(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of [...keys].sort()) differingPaths(a[k], b[k], prefix ? `${prefix}.${k}` : k, out);
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) { out.push(prefix); return out; }
    a.forEach((x, i) => differingPaths(x, b[i], `${prefix}[${i}]`, out));
    return out;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(prefix || '.');
  return out;
}

export function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isObj(v)) {
    const out: Obj = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]!);
    return out;
  }
  return v;
}
