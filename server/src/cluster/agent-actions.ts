// THE ONLY WRITES GitOps Lens can make to a cluster: asking an agent to act, by the annotation its
// own CLI sets (`flux reconcile` sets reconcile.fluxcd.io/requestedAt on the Kustomization;
// `argocd app get --refresh` sets argocd.argoproj.io/refresh on the Application). Nothing else in
// this folder writes. The language server calls this only for an explicit user command, and only
// when the gitopsLens.cluster.agentActions.enabled setting (off by default) is on; `allowed` must be
// passed as true by that caller, so no code path reaches the PATCH by accident.

import { agentPath } from './diff';
import { faultOf, statusFault, type ClusterFault, type ConnectOptions } from './kube';
import type { AgentRef } from './render';
import { getSession, type ClusterSession } from './session';

export type AgentAction = 'flux-reconcile' | 'argocd-refresh';

export interface AgentActionOptions extends ConnectOptions {
  session?: ClusterSession;
  /** Must be true: the user enabled agent actions and asked for this one. */
  allowed: boolean;
  /** Argo CD: `normal` (default) or `hard` (regenerate manifests). */
  refreshType?: 'normal' | 'hard';
  signal?: AbortSignal;
}

export interface AgentActionResult { ok: boolean; message: string; fault?: ClusterFault }

/** The annotation patch an action sends (exported for tests and the confirmation text). */
function agentActionPatch(action: AgentAction, now = new Date(), refreshType: 'normal' | 'hard' = 'normal'): Record<string, string> {
  return action === 'flux-reconcile'
    ? { 'reconcile.fluxcd.io/requestedAt': now.toISOString() }
    : { 'argocd.argoproj.io/refresh': refreshType };
}

/**
 * Annotates the agent's own object (a Flux Kustomization or an Argo CD Application) so that the
 * agent reconciles / refreshes it. A write: only for an explicit user command with the setting on.
 * Never throws.
 */
export async function requestAgentAction(agent: AgentRef, action: AgentAction, opts: AgentActionOptions): Promise<AgentActionResult> {
  if (opts.allowed !== true) return { ok: false, message: 'agent actions are disabled (gitopsLens.cluster.agentActions.enabled is off)' };
  if ((action === 'flux-reconcile') !== (agent.kind === 'flux')) {
    return { ok: false, message: `${action} does not apply to ${agent.kind === 'flux' ? 'a Flux Kustomization' : 'an Argo CD Application'}` };
  }
  const what = `${agent.kind === 'flux' ? 'Kustomization' : 'Application'} ${agent.namespace}/${agent.name}`;
  try {
    const session = opts.session ?? getSession(opts);
    const annotations = agentActionPatch(action, new Date(), opts.refreshType);
    const q = new URLSearchParams({ fieldManager: 'gitops-lens' });
    const res = await session.client.request('PATCH', `${agentPath(agent)}?${q}`, {
      body: { metadata: { annotations } }, contentType: 'application/merge-patch+json', signal: opts.signal,
    });
    if (res.status >= 200 && res.status < 300) {
      return { ok: true, message: `${what}: ${Object.entries(annotations).map(([k, v]) => `${k}=${v}`).join(', ')} set in context ${session.context}` };
    }
    const f = statusFault(res.status, res.body, `annotating ${what}`);
    return { ok: false, message: `${what}: ${f.message}`, fault: f };
  } catch (e) {
    const f = faultOf(e);
    return { ok: false, message: `${what}: ${f.message}`, fault: f };
  }
}
