// The cluster side of GitOps Lens, for the language server and the CLI. No vscode here; this
// folder is the only importer of @kubernetes/client-node. Read-only: GET/LIST/WATCH and dry-runs,
// except agent-actions.ts (an annotation asking Flux/Argo CD to act; explicit command + setting only).

export { diffEnvironment, type EnvironmentDiff, type ObjectDiff } from './diff';
export { linkEnvironments, type EnvironmentLink, type LinkSetting } from './link';
export { getAgentStatus, watchAgentStatus, type AgentStatus } from './status';
export { EnvironmentMonitor, type MonitorUpdate } from './monitor';
export { renderForAgent, type AgentRef } from './render';
export { ClusterSession, getSession, closeSessions } from './session';
export { findKubeconfig, noKubeconfigMessage, type ClusterFault } from './kube';

// The only writes (agent annotations), for explicit user commands behind a setting that is off by default.
export { requestAgentAction } from './agent-actions';
export { unifiedDiff } from './textdiff';

import type { EnvironmentDiff } from './diff';

/** The CodeLens line: `prod (ctx): 2 changed · 1 new · 1 to prune`, `in sync`, or the fault. */
export function summarizeDiff(d: EnvironmentDiff, label?: string): string {
  const head = label ? `${label} (${d.context}): ` : '';
  if (d.status === 'error') return `${head}${d.fault?.message ?? 'error'}`;
  const parts: string[] = [];
  if (d.counts.changed) parts.push(`${d.counts.changed} changed`);
  if (d.counts.new) parts.push(`${d.counts.new} new`);
  if (d.counts.prune) parts.push(`${d.counts.prune} to prune`);
  if (d.counts.error) parts.push(`${d.counts.error} not compared`);
  let s = parts.length ? parts.join(' · ') : 'in sync';
  if (d.counts.error === 0 && !d.counts.changed && !d.counts.new && !d.counts.prune && d.status === 'partial') s = 'in sync (partial)';
  if (d.approximate) s += ' (approximate)';
  return head + s;
}
