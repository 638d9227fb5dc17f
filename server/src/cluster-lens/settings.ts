// What the client's cluster settings (gitopsLens.cluster.*) mean: whether the live diff is on and
// why not, the kubeconfig, and the environment → context links the settings ask for.

import path from 'node:path';
import os from 'node:os';
import { findKubeconfig, noKubeconfigMessage, type AgentRef, type LinkSetting } from '../cluster/index';
import type { ClusterSettings } from '../protocol';
import type { Environment } from '../workspace/types';

const DEFAULTS: ClusterSettings = { liveDiff: 'auto', kubeconfig: '', contexts: {}, discoverContexts: [], agentActions: false };

export interface ResolvedSettings {
  settings: ClusterSettings;
  kubeconfig: string | undefined;
  enabled: boolean;
  /** Why the live diff is off. */
  reason: string | undefined;
}

/** The settings with their defaults; `auto` is on when a kubeconfig (or an in-cluster account) is found. */
export function resolveSettings(raw: Partial<ClusterSettings> | undefined): ResolvedSettings {
  const settings: ClusterSettings = { ...DEFAULTS, ...(raw ?? {}) };
  const kubeconfig = settings.kubeconfig ? expandHome(settings.kubeconfig) : undefined;
  if (settings.liveDiff === 'off') return { settings, kubeconfig, enabled: false, reason: 'live diff is off (gitopsLens.cluster.liveDiff)' };
  if (settings.liveDiff === 'on') return { settings, kubeconfig, enabled: true, reason: undefined };
  const where = findKubeconfig(kubeconfig);
  const enabled = where.found.length > 0 || where.inCluster;
  return { settings, kubeconfig, enabled, reason: enabled ? undefined : noKubeconfigMessage(where) };
}

/** The links `gitopsLens.cluster.contexts` asks for, for environments of these folders. */
export function linkSettings(settings: ClusterSettings | undefined, envs: Environment[]): LinkSetting[] {
  const out: LinkSetting[] = [];
  const folders = new Set(envs.map((e) => e.folder));
  for (const [key, v] of Object.entries(settings?.contexts ?? {})) {
    const context = typeof v === 'string' ? v : v?.context;
    if (!context) continue;
    const agent = typeof v === 'object' && v.agent ? parseAgent(v.agent) : undefined;
    for (const f of folders) out.push({ dir: path.resolve(f.path, key), context, agent });
  }
  return out;
}

function parseAgent(s: string): AgentRef | undefined {
  const m = /^(flux|argocd)\/([^/]+)\/([^/]+)$/.exec(s);
  return m ? { kind: m[1] as AgentRef['kind'], namespace: m[2]!, name: m[3]! } : undefined;
}

function expandHome(p: string): string {
  return p.startsWith('~/') || p === '~' ? path.join(os.homedir(), p.slice(1)) : p;
}
