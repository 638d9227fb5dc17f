// Remote entries of a kustomization, as kustomize v5.5 loads them (api/internal/target/kusttarget.go,
// api/internal/loader/fileloader.go): an http(s) URL is first tried as a file; what parses as a git
// repository (repospec.ts) is built from a checkout of it. The engine never fetches: the host side
// does (BuildOptions.remote), and the engine reads what was fetched. Without `remote`, or while an
// entry is not fetched yet, the entry is a missing input: the render is incomplete, not wrong.

import { isWithin, join } from './path';
import { parseRepoSpec, type RepoSpec } from './repospec';
import { KustomizeError, type SourceRef } from './resource';
import { parseYamlFile, type ParsedFile } from './yamlio';

/** What the host side fetched for this build. */
export interface RemoteSources {
  /** Changes whenever something new was fetched: renders that met a missing remote entry are not reused past it. */
  readonly version: number;
  /** The folder `spec`'s repository is checked out in, at its ref; undefined while it is not fetched. Throws KustomizeError when fetching failed. */
  checkout(spec: RepoSpec): string | undefined;
  /** An http(s) URL fetched as a file: its text, or the HTTP status it answered; undefined while it is not fetched. */
  file(url: string): { text: string } | { status: number; statusText: string } | undefined;
  /** For a file in a checkout, read through the roots `via` (a resource's passage): the repository (its clone URL), the ref and the path in it (buildMetadata's origin annotations). */
  originOf?(file: string, via: string[]): { repo: string; ref: string; path: string } | undefined;
}

type CheckoutEntry = { kind: 'dir'; dir: string; checkout: string };
/**
 * A remote entry, loaded: a folder in a checkout (built as a kustomization, restricted to the
 * checkout), or a fetched file; a file that is also a repository URL falls back to the checkout
 * (`orCheckout`) when it does not hold resources (a web page answering the URL), as kustomize does.
 */
export type RemoteEntry = CheckoutEntry | { kind: 'file'; file: ParsedFile; orCheckout?: () => CheckoutEntry };

const LEGACY_REMOTE = /^(https?:\/\/|git@|ssh:\/\/|git::|github\.com\/|gitlab\.com\/|bitbucket\.org\/)/;

/** Whether an entry names something remote (with fetching off, a conservative test: never a local path). */
export function isRemoteEntry(p: string, remote: RemoteSources | undefined): boolean {
  if (!remote) return LEGACY_REMOTE.test(p) || /^[a-z]+:\/\//.test(p);
  return /^https?:\/\//i.test(p) || parseRepoSpec(p) !== undefined;
}

function notFetched(p: string, what: string, src: SourceRef, why: string): never {
  throw new KustomizeError(`remote ${what} '${p}' is not fetched: ${why}`, src, { kind: 'remote', what: p });
}

/**
 * Loads a remote `resources:` (or `components:`) entry: an http(s) file first (resources only), then
 * a git checkout. Throws a missing input while it is not fetched, and kustomize's errors otherwise.
 */
export function loadRemote(p: string, src: SourceRef, remote: RemoteSources | undefined, field: 'resources' | 'components'): RemoteEntry {
  if (!remote) notFetched(p, field === 'components' ? 'component' : 'resource', src, 'remote fetching is off');
  const spec = parseRepoSpec(p);
  if (field === 'resources' && /^https?:\/\//i.test(p)) {
    const got = remote.file(p);
    if (got === undefined) notFetched(p, 'resource', src, 'not fetched yet');
    const repo = spec && !('error' in spec) ? spec : undefined;
    const orCheckout = repo ? () => checkoutEntry(p, repo, src, remote, field) : undefined;
    if ('text' in got) {
      try {
        return { kind: 'file', file: parseYamlFile(p, got.text), ...(orCheckout ? { orCheckout } : {}) };
      } catch (e) {
        if (orCheckout && e instanceof KustomizeError) return orCheckout();
        throw e;
      }
    }
    if (!repo) throw new KustomizeError(`accumulating resources: accumulating resources from '${p}': HTTP Error: status code ${got.status} (${got.statusText})`, src);
  }
  if (!spec) throw new KustomizeError(`accumulating ${field}: '${p}' is neither a file nor a git repository URL`, src);
  if ('error' in spec) throw new KustomizeError(`accumulating ${field}: ${spec.error}: '${p}'`, src);
  return checkoutEntry(p, spec, src, remote, field);
}

function checkoutEntry(p: string, spec: RepoSpec, src: SourceRef, remote: RemoteSources, field: 'resources' | 'components'): CheckoutEntry {
  const checkout = remote.checkout(spec);
  if (checkout === undefined) notFetched(p, field === 'components' ? 'component' : 'resource', src, 'not fetched yet');
  return { kind: 'dir', dir: spec.path ? join(checkout, spec.path) : checkout, checkout };
}

/**
 * A file kustomize's loader would GET (a patch, an openapi schema, a configuration, a generator's
 * file named by an http(s) URL): its text once fetched; undefined for a local path.
 */
export function remoteFile(rel: string, src: SourceRef, remote: RemoteSources | undefined): string | undefined {
  if (!/^https?:\/\//i.test(rel)) return undefined;
  if (!remote) throw new KustomizeError(`remote file '${rel}' is not fetched: remote fetching is off`, src, { kind: 'remote', what: rel });
  const got = remote.file(rel);
  if (got === undefined) throw new KustomizeError(`remote file '${rel}' is not fetched yet`, src, { kind: 'remote', what: rel });
  if ('status' in got) throw new KustomizeError(`HTTP Error: status code ${got.status} (${got.statusText})`, src);
  return got.text;
}

/** kustomize's containment rule for a checkout: a base a cloned kustomization names must be inside the repository. */
export function checkInCheckout(base: string, checkout: string, src: SourceRef): void {
  if (!isWithin(checkout, base)) throw new KustomizeError(`security; bases in kustomizations found in cloned git repos must be within the repo, but base '${base}' is outside '${checkout}'`, src);
}
