import type { CachedModelFile, SourceInspection } from '../../../engine/engine.ts';

/** The cached files of one model revision at one Hub, as the cache list shows them. */
export interface CachedModel {
  readonly endpoint: string;
  readonly repo: string;
  readonly revision: string;
  readonly files: number;
  readonly bytes: number;
}

/** The engine's cached files grouped by endpoint + repo + revision (what clearCache's filter deletes), by repo then revision. */
export function groupCachedFiles(files: readonly CachedModelFile[]): CachedModel[] {
  const groups = new Map<string, { endpoint: string; repo: string; revision: string; files: number; bytes: number }>();
  for (const f of files) {
    const key = JSON.stringify([f.endpoint, f.repo, f.revision]);
    const group = groups.get(key) ?? { endpoint: f.endpoint, repo: f.repo, revision: f.revision, files: 0, bytes: 0 };
    group.files += 1;
    group.bytes += f.bytes;
    groups.set(key, group);
  }
  const order = (a: CachedModel, b: CachedModel) => a.repo.localeCompare(b.repo) || a.revision.localeCompare(b.revision) || a.endpoint.localeCompare(b.endpoint);
  return [...groups.values()].sort(order);
}

/** "owner/name@revision", with the endpoint when it is not the Hub's own. */
export function cachedModelName(model: CachedModel, defaultEndpoint: string): string {
  const at = `${model.repo}@${model.revision}`;
  return model.endpoint === defaultEndpoint ? at : `${at} (${model.endpoint})`;
}

/** An inspection as it is once its files are deleted from the cache: nothing cached, everything to download. */
export function withoutCachedFiles(inspection: SourceInspection): SourceInspection {
  return { ...inspection, files: inspection.files.map((f) => ({ ...f, cached: false })), toDownloadBytes: inspection.totalBytes };
}
