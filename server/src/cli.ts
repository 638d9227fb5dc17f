// gitops-lens: the command-line twin of the extension, on the same engine.

import fs from 'node:fs';
import path from 'node:path';
import type * as CliDiff from './cli-diff';
import { Engine, KustomizeError, renderYaml, type BuildOptions } from './engine/index';
import { DiskHost } from './workspace/disk-host';
import { VERSION } from './contributes';
import { RemoteFetcher } from './remote/fetcher';
import { renderAgentFile } from './flux/render';
import { kubernetesVersion } from './kubernetes-version';
import { findHelm, helmRunner, missingHelmRunner, type HelmOverrides } from './workspace/helm';

const HELP = `gitops-lens — render and check kustomize folders the way GitOps agents do

Usage:
  gitops-lens build DIR [--load-restrictor none] [--enable-helm] [--helm-command PATH] [--helm-kube-version V]
                        [--helm-api-versions V,...] [--helm-debug]
      Print what \`kustomize build DIR\` prints (same documents, same order), using GitOps Lens's
      own engine. Exits 1 with a message (file:line: error) where kustomize fails.
  gitops-lens render PATH [--enable-remote] [--helm-command PATH] [--kubernetes-version V] [--flux-kustomization NS/NAME]
      What the agent would apply for PATH. A kustomize folder: as the Flux Kustomization of the
      repository that points at it applies it (postBuild substitution included), else as \`build\`. A file with Flux
      HelmReleases: each rendered as helm-controller does (release name, namespace, valuesFrom and
      values merged, CRD policy, postRenderers) with the real helm; its chart at a path of this
      repository (a GitRepository source). A file with Argo CD Applications: each Helm source at a
      path of the repository, as Argo CD's repo-server renders it (releaseName, namespace, valueFiles
      with $ref, values/valuesObject, parameters, skipCrds, skipTests).
  gitops-lens diff DIR [--context C] [--kubeconfig F] [--json] [--namespace NS] [--agent flux|argocd/NS/NAME]
      Compare what DIR renders to, as its linked Argo CD Application or Flux Kustomization would apply
      it, with the live cluster (server-side dry-run, Secrets masked). Exit 0 in sync, 1 differences, 2 error.
  gitops-lens --help | --version

Options:
  --load-restrictor none|LoadRestrictionsNone   allow files outside the kustomization root
  --load-restrictor rootOnly|LoadRestrictionsRootOnly   (default) refuse them, as kustomize does
  --enable-remote        fetch remote bases and files (git repositories, http(s) URLs) into the
                         cache (~/.cache/gitops-lens/remote), as kustomize does by default;
                         without it they are not fetched and the build says so
  --enable-helm          inflate helmCharts with helm (as kustomize --enable-helm)
  --helm-command PATH    the helm binary (default: helm on PATH)
  --kubernetes-version V the Kubernetes version the clusters run (1.33); helm charts that set no
                         kubeVersion render with it (as --helm-kube-version)
  --helm-kube-version V  Capabilities.KubeVersion for charts that set no kubeVersion
  --helm-api-versions V  Capabilities.APIVersions for charts that set none; repeat or separate with commas
  --helm-debug           run helm template with --debug
`;

interface Parsed { cmd?: string; dir?: string; options: BuildOptions; helmCommand?: string; helm: HelmOverrides; fluxKustomization?: string }

function fail(msg: string, code = 2): never {
  process.stderr.write(`gitops-lens: ${msg}\n`);
  process.exit(code);
}

function parseArgs(argv: string[]): Parsed {
  const out: Parsed = { options: {}, helm: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => inline ?? argv[++i] ?? fail(`${flag} needs a value`);
    switch (flag) {
      case '-h': case '--help': process.stdout.write(HELP); process.exit(0);
      // eslint-disable-next-line no-fallthrough
      case '--version': process.stdout.write(`gitops-lens ${VERSION}\n`); process.exit(0);
      // eslint-disable-next-line no-fallthrough
      case '--load-restrictor': {
        const v = value();
        if (v === 'none' || v === 'LoadRestrictionsNone') out.options.loadRestrictor = 'none';
        else if (v === 'rootOnly' || v === 'LoadRestrictionsRootOnly') out.options.loadRestrictor = 'rootOnly';
        else fail(`unknown load restrictor '${v}' (use none or rootOnly)`);
        break;
      }
      case '--enable-helm': out.options.enableHelm = true; break;
      case '--enable-remote': out.options.remote = new RemoteFetcher(); break;
      case '--flux-kustomization': out.fluxKustomization = value(); break;
      case '--helm-command': out.helmCommand = value(); break;
      case '--helm-kube-version': out.helm.kubeVersion = value(); break;
      case '--kubernetes-version': {
        const v = value();
        const k = kubernetesVersion(v);
        if (!k || !v.trim()) fail(`--kubernetes-version: '${v}' is not a Kubernetes version (write it as 1.33)`);
        out.helm.kubeVersion ??= k;
        break;
      }
      case '--helm-api-versions': (out.helm.apiVersions ??= []).push(...value().split(',').filter(Boolean)); break;
      case '--helm-debug': out.helm.debug = true; break;
      default:
        if (a.startsWith('-')) fail(`unknown option ${a}\n\n${HELP}`);
        if (!out.cmd) out.cmd = a;
        else if (!out.dir) out.dir = a;
        else fail(`unexpected argument ${a}`);
    }
  }
  return out;
}

function location(e: KustomizeError): string {
  const s = e.source;
  if (!s) return '';
  return s.range ? `${s.file}:${s.range.start.line + 1}:${s.range.start.character + 1}: ` : `${s.file}: `;
}

type DiffModule = typeof CliDiff;

async function loadDiff(): Promise<DiffModule> {
  const bundled = path.join(__dirname, 'cli-diff.js');
  // A variable specifier keeps esbuild from inlining it; from sources (tsx) the .ts sibling loads.
  const spec = fs.existsSync(bundled) ? bundled : './cli-diff';
  return (await import(spec)) as DiffModule;
}

function main(): void {
  // `diff` lives in cli-diff.ts with the cluster code, bundled apart (dist/cli-diff.js) and loaded
  // only when asked for, so `build` does not pay for @kubernetes/client-node at start-up.
  if (process.argv[2] === 'diff') {
    void loadDiff().then((m) => m.runDiff(process.argv.slice(3))).then((code) => { process.exitCode = code; });
    return;
  }
  const args = parseArgs(process.argv.slice(2));
  if (!args.cmd) { process.stdout.write(HELP); process.exit(0); }
  if (args.cmd !== 'build' && args.cmd !== 'render') fail(`unknown command '${args.cmd}'\n\n${HELP}`);
  const dir = path.resolve(args.dir ?? '.');
  if (args.cmd === 'render' && fs.statSync(dir, { throwIfNoEntry: false })?.isFile()) { renderFile(dir, args); return; }
  if (args.cmd === 'render') {
    // A folder a Flux Kustomization points at renders as kustomize-controller applies it; any other as `build`.
    void loadDiff().then((m) => m.renderFluxFolder(dir, args.fluxKustomization)).then((r) => {
      if (!r) { void build(dir, args); return; }
      if ('error' in r) fail(r.error, 1);
      process.stdout.write(r.yaml);
    });
    return;
  }
  void build(dir, args);
}

async function build(dir: string, args: Parsed): Promise<void> {
  if (args.options.enableHelm) {
    const helm = findHelm(args.helmCommand);
    args.options.helm = helm ? helmRunner(helm, args.helm) : missingHelmRunner('pass --helm-command PATH, or put helm on PATH');
  }
  const engine = new Engine(new DiskHost());
  const remote = args.options.remote as RemoteFetcher | undefined;
  try {
    let result;
    // Remote entries are fetched in the background: build again once they are in, until nothing new is.
    for (;;) {
      try { result = engine.build(dir, args.options); break; } catch (e) {
        if (!(e instanceof KustomizeError && e.missing?.kind === 'remote' && remote?.busy)) throw e;
        await remote.idle();
      }
    }
    for (const w of result.warnings) process.stderr.write(`# ${w.message}\n`);
    process.stdout.write(renderYaml(result.resources));
  } catch (e) {
    if (e instanceof KustomizeError) {
      const hint = e.missing?.kind === 'remote' && !args.options.remote ? ' (--enable-remote fetches it)' : '';
      process.stderr.write(`Error: ${location(e)}${e.message}${hint}\n`);
      process.exit(1);
    }
    throw e;
  }
}

/** `render FILE`: what the file's HelmReleases and Argo CD Helm sources deploy, with the real helm. */
function renderFile(file: string, args: Parsed): void {
  const helm = findHelm(args.helmCommand);
  if (!helm) fail('render needs a helm v3 binary for a HelmRelease: pass --helm-command PATH, or put helm on PATH', 1);
  const r = renderAgentFile(file, { helm, remote: !!args.options.remote, ...(args.helm.kubeVersion ? { kubeVersion: args.helm.kubeVersion } : {}) });
  if ('error' in r) fail(r.error, 1);
  process.stdout.write(r.yaml);
}

main();
