// POSIX path helpers for the engine. The engine cannot use node:path (it must run in a browser too),
// and every host speaks absolute POSIX paths.

export function normalize(p: string): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const s = out.join('/');
  return abs ? '/' + s : s || '.';
}

export function join(...parts: string[]): string {
  return normalize(parts.filter((x) => x !== '').join('/'));
}

/** Resolves `p` against directory `dir` (an absolute path). */
export function resolve(dir: string, p: string): string {
  return p.startsWith('/') ? normalize(p) : normalize(dir + '/' + p);
}

export function dirname(p: string): string {
  const n = normalize(p);
  const i = n.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return n.slice(0, i);
}

export function basename(p: string): string {
  const n = normalize(p);
  const i = n.lastIndexOf('/');
  return i < 0 ? n : n.slice(i + 1);
}

/** The path of `to` relative to the directory `from` (both absolute). */
export function relative(from: string, to: string): string {
  const a = normalize(from).split('/').filter(Boolean);
  const b = normalize(to).split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const up = a.slice(i).map(() => '..');
  const rest = b.slice(i);
  return [...up, ...rest].join('/') || '.';
}

/** True when `p` is `root` or inside it. */
export function isWithin(root: string, p: string): boolean {
  const r = normalize(root);
  const n = normalize(p);
  return n === r || n.startsWith(r === '/' ? '/' : r + '/');
}
