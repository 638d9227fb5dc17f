// Regular expressions as kustomize's Go code compiles them: RE2 syntax (`(?i)` flags, no
// backreferences or lookaround), matched in linear time, so a hostile pattern in a patch target
// cannot stall a render, and an invalid one fails with Go's words (`error parsing regexp: ...`).
// re2js is a port of RE2 in plain JavaScript, so the engine stays pure and runs in a browser.

import { RE2JS } from 're2js';

export interface GoRegexp {
  /** Whether the pattern matches somewhere in `s` (Go's MatchString). */
  test(s: string): boolean;
}

const cache = new Map<string, GoRegexp | Error>();

/** Compiles `expr`; throws an Error with Go's message when it is not a valid RE2 expression. */
export function compileGoRegexp(expr: string): GoRegexp {
  let re = cache.get(expr);
  if (!re) {
    try {
      const p = RE2JS.compile(expr);
      re = { test: (s: string) => p.matcher(s).find() };
    } catch (e) {
      re = new Error((e as Error).message);
    }
    if (cache.size > 500) cache.clear();
    cache.set(expr, re);
  }
  if (re instanceof Error) throw new Error(re.message);
  return re;
}
