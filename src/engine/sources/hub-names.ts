/**
 * What a Hub place (endpoint, repo, revision, token) may be, as pure checks that return the problem in the user's
 * words or null: the Hub source (hub.ts) throws them as EngineErrors of kind 'usage' before any request, and the
 * studio's model form shows them at its fields before calling the engine. One set of rules for both.
 */

/** The endpoint without trailing slashes, or why it cannot be one. */
export function hubEndpointProblem(endpoint: string): string | null {
  const trimmed = trimEndpoint(endpoint);
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return `The Hub endpoint "${trimmed}" is not a URL (for example https://huggingface.co).`;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'The Hub endpoint must be an http(s) URL.';
  // fetch refuses such URLs anyway; a token belongs in the token field, where it is sent only as a header.
  if (parsed.username || parsed.password) return 'The Hub endpoint must not hold a user name or password: give an access token instead.';
  if (parsed.search || parsed.hash) return 'The Hub endpoint must not have a query or fragment.';
  return null;
}

export function trimEndpoint(endpoint: string): string {
  return endpoint.trim().replace(/\/+$/, '');
}

/** "owner/name" (or a legacy repo's bare "name"): letters, digits, '-', '_', '.'. */
export function hubRepoProblem(repo: string): string | null {
  const trimmed = repo.trim();
  const segments = trimmed.split('/');
  const valid = segments.length <= 2 && segments.every((s) => /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(s) && !s.includes('..'));
  return valid ? null : `"${trimmed}" is not a Hub repo name: write it as owner/name, e.g. HuggingFaceTB/SmolLM2-135M-Instruct.`;
}

/** A branch, tag or commit: not empty, and without spaces or control characters (no git ref has them). */
export function hubRevisionProblem(revision: string): string | null {
  const trimmed = revision.trim();
  if (trimmed === '') return 'Give a revision (a branch, tag or commit; "main" by default).';
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(trimmed)) return `"${trimmed}" is not a revision: a branch, tag or commit has no spaces.`;
  return null;
}

/** The token as an HTTP header value allows it (printable ASCII); the message never repeats it. */
export function hubTokenProblem(token: string): string | null {
  const trimmed = token.trim();
  if (trimmed === '' || /^[\x21-\x7e]+$/.test(trimmed)) return null;
  return 'The access token has spaces, line breaks or other characters a token cannot have: paste it again.';
}
