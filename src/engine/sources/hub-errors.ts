/** The Hub's repo and where it is, as its messages name them. */
export interface HubPlace {
  /** The endpoint without credentials. */
  readonly endpoint: string;
  readonly repo: string;
  readonly revision: string;
  readonly hasToken: boolean;
}

/**
 * The Hub's 404s that mean the model is not there at all (rather than one file): its X-Error-Code header, which it
 * exposes to pages (CORS), names RepoNotFound or RevisionNotFound; without a code, a missing config.json.
 */
export function isModelMissing(file: string, status: number, errorCode: string | null): boolean {
  if (status !== 404) return false;
  if (errorCode === 'RepoNotFound' || errorCode === 'RevisionNotFound') return true;
  return errorCode !== 'EntryNotFound' && file === 'config.json';
}

/** The Hub's statuses worded for the user, naming the repo; null for a status with no better words than its number. */
export function hubStatusMessage(place: HubPlace, file: string, status: number, errorCode: string | null): string | null {
  const page = `${place.endpoint.replace(/\/$/, '')}/${place.repo}`;
  if (status === 401 || status === 403) {
    return place.hasToken
      ? `The Hub refused ${file} of "${place.repo}" (${status}) with the access token given: check that the token is valid and may read this repo, and, for a gated model, that you accepted its licence on ${page}.`
      : `The Hub refused ${file} of "${place.repo}" (${status}): the repo is gated or private (or does not exist). Give an access token, and for a gated model accept its licence on ${page} first.`;
  }
  if (status === 404 && !isModelMissing(file, status, errorCode)) {
    return `The Hub has no ${file} in "${place.repo}" at revision "${place.revision}" (404), though it listed it a moment before: the repo may have changed; load it again.`;
  }
  if (!isModelMissing(file, status, errorCode)) return null;
  if (errorCode === 'RevisionNotFound') return `"${place.repo}" has no revision "${place.revision}" on ${place.endpoint}: check the branch, tag or commit.`;
  return `No model "${place.repo}" at revision "${place.revision}" on ${place.endpoint} (no ${file}): check the repo name and the revision.`;
}
