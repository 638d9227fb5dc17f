// Generative differential test, command line:
//
//   node --import tsx test/diff/run.ts [--seed S] [--count N] [--only i,j,...] [--jobs J] [--timeout SECONDS] [--show I]
//
// Generates N random kustomization trees from seed S (generate.ts), builds each with
// `kubectl kustomize` (J processes at once, default 2) and with the engine, and prints: a summary
// table, how many trees exercised each feature tag and how many of those differed, kubectl's own
// failures, and up to 20 differences (each saved under /tmp/gitops-lens-diff/<seed>-<i>/ to re-run).
// `--show I` prints tree I of the seed and exits. Exits 1 when there is a difference or a feature tag
// no tree exercised, 2 on bad usage or a missing kubectl.

import { DEFAULT_SEED, formatReport, kubectlVersion, runDifferential } from './harness';
import { generateTree } from './generate';

function parseArgs(argv: string[]): { seed: number; count: number; only?: number[]; jobs: number; timeout: number; show?: number } {
  const a = { seed: DEFAULT_SEED, count: 500, only: undefined as number[] | undefined, jobs: 2, timeout: 60, show: undefined as number | undefined };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const val = argv[i + 1];
    const num = () => {
      const n = Number(val);
      if (val === undefined || !Number.isFinite(n)) usage(`${flag} needs a number`);
      i++;
      return n;
    };
    if (flag === '--seed') a.seed = num() >>> 0;
    else if (flag === '--count') a.count = Math.max(1, Math.floor(num()));
    else if (flag === '--jobs') a.jobs = Math.max(1, Math.floor(num()));
    else if (flag === '--timeout') a.timeout = num();
    else if (flag === '--show') a.show = Math.floor(num());
    else if (flag === '--only') {
      if (!val) usage('--only needs i,j,...');
      a.only = val.split(',').map((x) => Number(x.trim())).filter((x) => Number.isInteger(x) && x >= 0);
      i++;
    } else if (flag === '--help' || flag === '-h') usage();
    else usage(`unknown argument ${flag}`);
  }
  return a;
}

function usage(msg?: string): never {
  if (msg) process.stderr.write(`${msg}\n`);
  process.stderr.write('usage: node --import tsx test/diff/run.ts [--seed S] [--count N] [--only i,j] [--jobs J] [--timeout SECONDS] [--show I]\n');
  process.exit(2);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.show !== undefined) {
    const t = generateTree(args.seed, args.show);
    for (const [p, text] of Object.entries(t.files)) process.stdout.write(`==> ${p} <==\n${text}\n`);
    process.stdout.write(`tags: ${t.tags.join(' ')}\n`);
    return;
  }
  let version: string;
  try {
    version = kubectlVersion();
  } catch (e) {
    process.stderr.write(`kubectl kustomize is needed: ${e instanceof Error ? e.message : e}\n`);
    process.exit(2);
  }
  process.stderr.write(`kubectl kustomize ${version}; seed ${args.seed}, ${args.only ? args.only.length : args.count} trees, ${args.jobs} at once\n`);
  let last = 0;
  const summary = await runDifferential({
    seed: args.seed,
    count: args.count,
    only: args.only,
    jobs: args.jobs,
    timeoutMs: args.timeout * 1000,
    progress: (done, total) => {
      if (done === total || Date.now() - last > 5000) {
        last = Date.now();
        process.stderr.write(`  ${done}/${total}\n`);
      }
    },
  });
  process.stdout.write(formatReport(summary) + '\n');
  const fullRun = !args.only;
  if (summary.differences.length || (fullRun && summary.missingTags.length)) process.exitCode = 1;
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
  process.exit(2);
});
