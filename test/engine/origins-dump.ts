// Origins as a readable dump, for fixture cases with an expected-origins.txt (fixtures.test.ts): per
// rendered object, where it came from (file:first-last line, document, generator, the roots it passed
// through), then every recorded change of each field, oldest first, as `path ← step @ file:line = value`. Paths are relative to the case folder, lines 1-based. Origins
// have no oracle (kubectl has none): UPDATE_EXPECT=1 writes the engine's, for review in the diff.
import type { BuildResult, SourceRef } from '../../server/src/engine/index';

export function originsDump(result: BuildResult, caseRoot: string): string {
  const rel = (f: string) => (f.startsWith(`${caseRoot}/`) ? f.slice(caseRoot.length + 1) : f);
  const at = (s: SourceRef, span = false) => `${rel(s.file)}${s.range ? `:${s.range.start.line + 1}${span ? `-${s.range.end.line + 1}` : ''}` : ''}`;
  const lines: string[] = [];
  for (const r of result.resources) {
    const o = r.origin;
    const extra = [
      o.generator ? `generator ${o.generator}` : '',
      o.configuredBy ? `configured by ${o.configuredBy.kind}${o.configuredBy.name ? ` ${o.configuredBy.name}` : ''}` : '',
      `via ${o.via.map(rel).join(', ')}`,
    ].filter(Boolean).join('; ');
    lines.push(`${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name} ← ${at(o.source, true)}${o.docIndex ? ` (document ${o.docIndex + 1})` : ''}; ${extra}`);
    for (const [path, changes] of r.fieldOrigins) {
      for (const c of changes) lines.push(`  ${path} ← ${c.by} @ ${at(c.source)} = ${c.value === undefined ? '(removed)' : JSON.stringify(c.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
