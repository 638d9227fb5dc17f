// One connection to one kubeconfig context, shared by every diff, link and watch on it: the
// client, its discovery cache, and what this user may do (dry-run rights are learned on the
// first 403 and remembered).

import { Discovery } from './discovery';
import { KubeClient, type ConnectOptions } from './kube';

export class ClusterSession {
  readonly client: KubeClient;
  readonly discovery: Discovery;
  /** undefined until a dry-run was tried; false after a 403 on one. */
  dryRunAllowed: boolean | undefined;
  constructor(readonly options: ConnectOptions = {}) {
    this.client = new KubeClient(options);
    this.discovery = new Discovery(this.client);
  }
  get context(): string {
    return this.client.context;
  }
  close(): void {
    this.client.close();
  }
}

const sessions = new Map<string, ClusterSession>();

/** The shared session for a kubeconfig + context (made on first use). Throws ClusterError('config'). */
export function getSession(opts: ConnectOptions = {}): ClusterSession {
  const key = `${opts.kubeconfig ?? process.env.KUBECONFIG ?? ''}\u0000${opts.context ?? ''}`;
  let s = sessions.get(key);
  if (!s) {
    s = new ClusterSession(opts);
    sessions.set(key, s);
  }
  return s;
}

/** Closes every shared session (the server on shutdown, the CLI before it exits). */
export function closeSessions(): void {
  for (const s of sessions.values()) s.close();
  sessions.clear();
}
