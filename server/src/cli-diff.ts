// `gitops-lens diff DIR`: the live diff of a folder against the cluster, linked to its Argo CD
// Application or Flux Kustomization as the extension links it, Secrets masked. Exit codes as
// `kubectl diff`: 0 in sync, 1 differences (objects to prune included), 2 error or incomplete.

import path from 'node:path';
import { closeSessions, diffEnvironment, getSession, linkEnvironments, summarizeDiff, unifiedDiff, type AgentRef, type EnvironmentDiff, type EnvironmentLink } from './cluster/index';

export const DIFF_HELP = `  gitops-lens diff DIR [--context C] [--kubeconfig F] [--json] [--namespace NS]
                       [--agent flux|argocd/NAMESPACE/NAME]
      Compare what DIR renders to (as its Argo CD Application or Flux Kustomization would apply it)
      with the live cluster: server-side apply dry-run with the agent's field manager, Secrets masked.
      Exits 0 when in sync, 1 when there are differences (objects to prune count), 2 on error.
`;

interface DiffArgs { dir?: string; context?: string; kubeconfig?: string; json: boolean; namespace?: string; agent?: AgentRef; noLink: boolean }

function parse(argv: string[]): DiffArgs | string {
  const out: DiffArgs = { json: false, noLink: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--context': out.context = value(); if (!out.context) return '--context needs a value'; break;
      case '--kubeconfig': out.kubeconfig = value(); if (!out.kubeconfig) return '--kubeconfig needs a value'; break;
      case '--namespace': case '-n': out.namespace = value(); if (!out.namespace) return '--namespace needs a value'; break;
      case '--json': out.json = true; break;
      case '--no-link': out.noLink = true; break;
      case '--agent': {
        const v = value() ?? '';
        const m = /^(flux|argocd)\/([^/]+)\/([^/]+)$/.exec(v);
        if (!m) return `--agent wants flux/NAMESPACE/NAME or argocd/NAMESPACE/NAME, not '${v}'`;
        out.agent = { kind: m[1] as 'flux' | 'argocd', namespace: m[2]!, name: m[3]! };
        break;
      }
      default:
        if (a.startsWith('-')) return `unknown option ${a}`;
        if (out.dir) return `unexpected argument ${a}`;
        out.dir = a;
    }
  }
  return out;
}

function label(d: EnvironmentDiff['objects'][number]): string {
  return `${d.id.kind} ${d.id.namespace ? `${d.id.namespace}/` : ''}${d.id.name}`;
}

/** Runs the command; resolves to the exit code. */
export async function runDiff(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): Promise<number> {
  const args = parse(argv);
  if (typeof args === 'string') { err(`gitops-lens: ${args}\n\nUsage:\n${DIFF_HELP}`); return 2; }
  const dir = path.resolve(args.dir ?? '.');
  try {
    let session;
    try {
      session = getSession({ kubeconfig: args.kubeconfig, context: args.context });
    } catch (e) {
      err(`gitops-lens: ${(e as Error).message}\n`);
      return 2;
    }
    let link: EnvironmentLink | undefined;
    if (args.agent) {
      link = { dir, context: session.context, agent: args.agent, foundBy: 'setting', how: `--agent ${args.agent.kind}/${args.agent.namespace}/${args.agent.name}` };
    } else if (!args.noLink) {
      const found = await linkEnvironments({ dirs: [dir], kubeconfig: args.kubeconfig, contexts: [session.context], session: () => session });
      link = found.links.find((l) => l.dir === dir);
      if (!link && !args.json) for (const f of found.faults) if (f.fault.kind !== 'notFound') err(`# ${f.what}: ${f.fault.message}\n`);
    }
    if (!args.json) err(link ? `# ${link.how}\n` : `# no Argo CD Application or Flux Kustomization points at ${dir} in context ${session.context}: plain server-side apply dry-run\n`);
    const d = await diffEnvironment({ dir, session, agent: link?.agent, defaultNamespace: args.namespace });
    if (args.json) {
      out(JSON.stringify({ ...d, link }, null, 2) + '\n');
    } else {
      for (const n of d.notes) err(`# ${n}\n`);
      for (const o of d.objects) {
        if (o.state === 'unchanged' || o.state === 'skipped') continue;
        if (o.state === 'error') { err(`! ${label(o)}: ${o.fault?.message ?? 'error'}\n`); continue; }
        const mark = o.state === 'new' ? '+' : o.state === 'prune' ? '-' : '~';
        out(`${mark} ${label(o)} (${o.state === 'prune' ? 'to prune' : o.state}${o.approximate ? ', approximate' : ''}${o.paths.length ? `: ${o.paths.join(', ')}` : ''})\n`);
        const id = `${o.id.apiVersion.replace('/', '.')}.${o.id.kind}.${o.id.namespace ? `${o.id.namespace}.` : ''}${o.id.name}`;
        out(unifiedDiff(o.live ?? '', o.desired ?? '', `live/${id}`, `merged/${id}`));
      }
      if (d.status === 'error') err(`gitops-lens: ${d.fault?.message ?? 'diff failed'}\n`);
      else err(`# ${summarizeDiff(d, path.basename(dir))}${d.status === 'partial' ? ' — partial, see above' : ''} [${d.mode}, ${d.ms} ms]\n`);
    }
    if (d.status !== 'ok') return 2;
    return d.counts.changed + d.counts.new + d.counts.prune > 0 ? 1 : 0;
  } finally {
    closeSessions();
  }
}

/** `render DIR` of a folder a Flux Kustomization points at (flux/kustomization.ts): bundled here, with the cluster code it renders through. */
export { renderFluxFolder } from './flux/kustomization';
