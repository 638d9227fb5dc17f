// Debian's Chromium for tests that need a real browser. Installs it with apt-get when it is
// missing (idempotent: present means nothing to do; concurrent installs queue on a lock file).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

export const CHROMIUM = process.env.GITOPS_LENS_CHROMIUM || '/usr/bin/chromium';

/** Flags for a headless, offline, throw-away browser. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

export function ensureChromium(): string {
  if (fs.existsSync(CHROMIUM)) return CHROMIUM;
  const asRoot = process.getuid?.() === 0 ? '' : 'sudo ';
  const script = `${asRoot}apt-get update -qq && ${asRoot}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium`;
  process.stderr.write(`# installing chromium: ${script}\n`);
  execFileSync('flock', ['/tmp/gitops-lens-apt.lock', 'sh', '-c', `[ -x ${CHROMIUM} ] || { ${script}; }`], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (!fs.existsSync(CHROMIUM)) throw new Error(`apt-get finished but ${CHROMIUM} is still missing`);
  return CHROMIUM;
}
