// One fixture case of test/engine/fixtures (fixtures.test.ts runs them): the folder it builds, its
// kubectl flags, kubectl's answer on disk and the engine's on a MemoryHost.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Engine, KustomizeError, MemoryHost, renderYaml, type BuildOptions } from '../../server/src/engine/index';
import { originsDump } from './origins-dump';

export const DIR = path.join(__dirname, 'fixtures');

function files(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? files(dir, r) : [r];
  });
}

export function kubectl(dir: string, flags: string[] = []): Promise<{ ok: boolean; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', ['kustomize', dir, ...flags], { encoding: 'utf8', maxBuffer: 64 << 20 }, (e, out, err) => resolve({ ok: !e, out, err: e && !err ? String(e) : err }));
  });
}

/** The folder a case builds, relative to the case: in/, or in/<the `root` file's path>. */
export function buildDir(name: string): string {
  const rootFile = path.join(DIR, name, 'root');
  return fs.existsSync(rootFile) ? `in/${fs.readFileSync(rootFile, 'utf8').trim()}` : 'in';
}

/** kubectl's flags for a case (its `flags` file), and the build options they stand for. */
export function flagsOf(name: string): { args: string[]; options: BuildOptions } {
  const file = path.join(DIR, name, 'flags');
  const args = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split(/\s+/).filter(Boolean) : [];
  if (args.length && args.join(' ') !== '--load-restrictor LoadRestrictionsNone') throw new Error(`${name}/flags: only --load-restrictor LoadRestrictionsNone is known, not ${args.join(' ')}`);
  return { args, options: args.length ? { loadRestrictor: 'none' } : {} };
}

/** The engine's answer for a case: the YAML it prints (its origins dump, its warnings as `file:line: message`), or its error so. */
export function engine(name: string): { yaml?: string; origins?: string; warnings?: string; error?: string } {
  const root = `/fx/${name}`;
  const host = new MemoryHost();
  for (const f of files(path.join(DIR, name, 'in'))) host.write(`${root}/in/${f}`, fs.readFileSync(path.join(DIR, name, 'in', f), 'utf8'));
  try {
    const result = new Engine(host).build(`${root}/${buildDir(name)}`, flagsOf(name).options);
    const warnings = result.warnings.map((w) => `${w.source ? `${w.source.file.replace(`${root}/`, '')}${w.source.range ? `:${w.source.range.start.line + 1}` : ''}: ` : ''}${w.message}\n`).join('');
    return { yaml: renderYaml(result.resources), origins: originsDump(result, root), warnings };
  } catch (e) {
    if (!(e instanceof KustomizeError)) throw e;
    const file = e.source?.file ? e.source.file.replace(`${root}/`, '') : '';
    const line = e.source?.range ? `:${e.source.range.start.line + 1}` : '';
    return { error: `${file}${line}: ${e.message.split(`${root}/`).join('')}\n` };
  }
}

/** The warnings kubectl printed (stderr's `# Warning:` lines), without kustomize's advice to run `kustomize edit fix`. */
export function kubectlWarnings(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('# Warning:')).map((l) => l.slice(2).replace(/ (\[EXPERIMENTAL\] )?Run 'kustomize edit fix'.*$/, ''));
}
