// The Kubernetes version the workspace targets: one definition for the setting
// (gitopsLens.kubernetesVersion) and the CLI flag (--kubernetes-version). Small on purpose: the CLI
// imports it without the schema tables.
import { VERSIONS } from './schema/generated/versions';

/** The minor version the bundled schemas come from (`1.37`): the target when none is set. */
const DEFAULT_KUBERNETES_VERSION = /^v?(\d+\.\d+)/.exec(VERSIONS.kubernetes)![1]!;

/**
 * The target Kubernetes version, the one definition the setting (gitopsLens.kubernetesVersion) and
 * the CLI flag (--kubernetes-version) go through: `1.33`, `v1.33` or `v1.33.2` → `1.33`; empty → the
 * bundled schemas' version. Undefined when the text is not a version.
 */
export function kubernetesVersion(text: string | undefined): string | undefined {
  const t = (text ?? '').trim();
  if (!t) return DEFAULT_KUBERNETES_VERSION;
  const m = /^v?(1\.\d{1,3})(\.\d+)?$/.exec(t);
  return m ? m[1] : undefined;
}
