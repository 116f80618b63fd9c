/**
 * A local Hugging Face Hub for tests (vitest and Playwright) and manual use, on 127.0.0.1 only. It serves repos in
 * the Hub's resolve layout, `GET|HEAD /{owner}/{name}/resolve/{revision}/{file}`, with what clients rely on:
 * ETag, Content-Length, Accept-Ranges and Range (206, 416), X-Linked-Size / X-Linked-Etag on LFS files
 * (*.safetensors), X-Repo-Commit, X-Error-Code on 404s (RepoNotFound, RevisionNotFound, EntryNotFound) and 401s,
 * and CORS headers. With `cdn: true` it also starts a second server (another port, so another origin) and
 * redirects LFS files there with a 302, as the Hub redirects to its CDN. Faults are scripted per file.
 *
 *   import { startHubServer } from '../support/hub-server.ts';
 *   const hub = await startHubServer({ repos: { 'test/tiny-llama': { main: 'test/fixtures/tiny-llama' } } });
 *   hub.endpoint                              // http://127.0.0.1:PORT, a ModelSource's endpoint
 *   hub.fault('model.safetensors', { kind: 'status', status: 500, times: 2 }, { kind: 'drop', afterBytes: 1000 });
 *   hub.count('model.safetensors', { method: 'GET' }); hub.requests   // every request, with its Range and Authorization
 *   hub.reset(); await hub.close();
 *
 * Command line: npx tsx test/support/hub-server.ts --port 8788 --repo test/tiny-llama=test/fixtures/tiny-llama
 *   [--repo owner/name@revision=DIR ...] [--token TOKEN (every repo private)] [--cdn]
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A revision's files: a folder (its top-level files) or names to contents. */
export type RevisionFiles = string | Readonly<Record<string, Uint8Array | string>>;

export interface HubServerOptions {
  port?: number;
  /** repo ("owner/name") -> revision -> files. */
  repos: Readonly<Record<string, Readonly<Record<string, RevisionFiles>>>>;
  /** Private repos and the token each needs (`Authorization: Bearer <token>`); without it: 401 GatedRepo. */
  tokens?: Readonly<Record<string, string>>;
  /** LFS files from a second origin, after a 302 (the Hub's CDN). */
  cdn?: boolean;
}

export type HubFault =
  /** This status `times` times (default 1), for GET and HEAD unless `method` says one; with Retry-After when given. */
  | { kind: 'status'; status: number; times?: number; method?: 'GET' | 'HEAD'; retryAfter?: string }
  /** Once: the first `afterBytes` bytes of a GET's body, then the connection is destroyed. */
  | { kind: 'drop'; afterBytes: number }
  /** Once: the first `afterBytes` bytes, then nothing until the client goes away. */
  | { kind: 'stall'; afterBytes: number }
  /** Once (GET and HEAD unless `method` says one): no response at all, not even headers, until the client goes away. */
  | { kind: 'hang'; method?: 'GET' | 'HEAD' };

export interface HubRequest {
  seq: number;
  /** Which server answered: the Hub, or the CDN it redirects LFS files to. */
  server: 'hub' | 'cdn';
  method: string;
  /** Path and query as received. */
  url: string;
  /** The file asked for ('' for no file). */
  file: string;
  range: string | null;
  /** As received, so tests can check where a token went. */
  authorization: string | null;
  status: number;
}

export interface StartedHubServer {
  /** http://127.0.0.1:PORT: the endpoint a Hub ModelSource names. */
  readonly endpoint: string;
  readonly port: number;
  /** The CDN's origin (another port), or null without `cdn`. */
  readonly cdnOrigin: string | null;
  /** Faults for a file (of any repo, or of `repo` when the file is given as "owner/name:file"), in order. */
  fault(file: string, ...faults: HubFault[]): void;
  readonly requests: readonly HubRequest[];
  /** Requests for a file (any server), optionally of one method. */
  count(file: string, options?: { method?: 'GET' | 'HEAD'; server?: 'hub' | 'cdn' }): number;
  /** Forgets requests and faults. */
  reset(): void;
  close(): Promise<void>;
}

interface StoredFile {
  readonly repo: string;
  readonly revision: string;
  readonly file: string;
  readonly bytes: Uint8Array;
  readonly etag: string;
  readonly lfs: boolean;
}

const EXPOSED = ['Content-Length', 'Content-Range', 'Accept-Ranges', 'ETag', 'X-Linked-Size', 'X-Linked-Etag', 'X-Repo-Commit', 'X-Error-Code', 'X-Error-Message'];

export async function startHubServer(options: HubServerOptions): Promise<StartedHubServer> {
  const repos = new Map<string, Map<string, Map<string, StoredFile>>>();
  const byDigest = new Map<string, StoredFile>();
  for (const [repo, revisions] of Object.entries(options.repos)) {
    const revisionMap = new Map<string, Map<string, StoredFile>>();
    for (const [revision, files] of Object.entries(revisions)) {
      const fileMap = new Map<string, StoredFile>();
      for (const [file, bytes] of Object.entries(loadFiles(files))) {
        const digest = createHash('sha256').update(bytes).digest('hex');
        const stored = { repo, revision, file, bytes, etag: `"${digest}"`, lfs: file.endsWith('.safetensors') };
        fileMap.set(file, stored);
        byDigest.set(digest, stored);
      }
      revisionMap.set(revision, fileMap);
    }
    repos.set(repo, revisionMap);
  }

  const state = { requests: [] as HubRequest[], faults: new Map<string, HubFault[]>() };

  /** The next fault for this request, consumed. */
  const takeFault = (stored: StoredFile, method: string, bytePhase: boolean): HubFault | null => {
    for (const id of [`${stored.repo}:${stored.file}`, stored.file]) {
      const queue = state.faults.get(id);
      const at = queue?.findIndex((f) => (bytePhase ? (f.kind === 'drop' || f.kind === 'stall') && method === 'GET' : (f.kind === 'status' || f.kind === 'hang') && (f.method ?? method) === method)) ?? -1;
      if (!queue || at < 0) continue;
      const fault = queue[at]!;
      if (fault.kind === 'status' && (fault.times ?? 1) > 1) queue[at] = { ...fault, times: (fault.times ?? 1) - 1 };
      else queue.splice(at, 1);
      return fault;
    }
    return null;
  };

  const log = (server: 'hub' | 'cdn', req: IncomingMessage, file: string): HubRequest => {
    const entry: HubRequest = {
      seq: state.requests.length + 1,
      server,
      method: req.method ?? 'GET',
      url: req.url ?? '',
      file,
      range: req.headers.range ?? null,
      authorization: req.headers.authorization ?? null,
      status: 0,
    };
    state.requests.push(entry);
    return entry;
  };

  let cdnOrigin: string | null = null;

  const handleHub = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const match = /^\/(.+?)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    const entry = log('hub', req, match ? decodeURIComponent(match[3]!) : '');
    if (!match || (req.method !== 'GET' && req.method !== 'HEAD')) return error(res, entry, 404, 'EntryNotFound', 'no such route');
    const repo = decodeURIComponent(match[1]!);
    const revision = decodeURIComponent(match[2]!);
    const revisions = repos.get(repo);
    if (!revisions) return error(res, entry, 404, 'RepoNotFound', 'Repository not found');
    const token = options.tokens?.[repo];
    if (token !== undefined && req.headers.authorization !== `Bearer ${token}`) {
      return error(res, entry, 401, 'GatedRepo', 'Access to this repo is restricted: you must be authenticated.');
    }
    const files = revisions.get(revision);
    if (!files) return error(res, entry, 404, 'RevisionNotFound', 'Invalid rev id');
    const stored = files.get(entry.file);
    if (!stored) return error(res, entry, 404, 'EntryNotFound', 'Entry not found');
    const fault = takeFault(stored, entry.method, false);
    if (fault?.kind === 'status') {
      if (fault.retryAfter !== undefined) res.setHeader('Retry-After', fault.retryAfter);
      return error(res, entry, fault.status, null, 'scripted fault');
    }
    if (fault?.kind === 'hang') return;
    const commit = createHash('sha1').update(`${repo}@${revision}`).digest('hex');
    res.setHeader('X-Repo-Commit', commit);
    if (stored.lfs) {
      res.setHeader('X-Linked-Size', String(stored.bytes.byteLength));
      res.setHeader('X-Linked-Etag', stored.etag);
    }
    if (stored.lfs && cdnOrigin) {
      entry.status = 302;
      res.writeHead(302, { Location: `${cdnOrigin}/lfs/${stored.etag.slice(1, -1)}?expires=never` }).end();
      return;
    }
    serveBytes(req, res, entry, stored, takeFault(stored, entry.method, true));
  };

  const handleCdn = (req: IncomingMessage, res: ServerResponse) => {
    const digest = /^\/lfs\/([0-9a-f]{64})$/.exec(new URL(req.url ?? '/', 'http://127.0.0.1').pathname)?.[1];
    const stored = digest ? byDigest.get(digest) : undefined;
    const entry = log('cdn', req, stored?.file ?? '');
    if (!stored) return error(res, entry, 404, null, 'no such object');
    serveBytes(req, res, entry, stored, takeFault(stored, entry.method, true));
  };

  const hub = await listen(handleHub, options.port ?? 0);
  const cdn = options.cdn ? await listen(handleCdn, 0) : null;
  cdnOrigin = cdn ? `http://127.0.0.1:${cdn.port}` : null;

  return {
    endpoint: `http://127.0.0.1:${hub.port}`,
    port: hub.port,
    cdnOrigin,
    fault(file, ...faults) {
      state.faults.set(file, [...(state.faults.get(file) ?? []), ...faults]);
    },
    get requests() {
      return state.requests;
    },
    count(file, filter = {}) {
      return state.requests.filter((r) => r.file === file && (filter.method === undefined || r.method === filter.method) && (filter.server === undefined || r.server === filter.server)).length;
    },
    reset() {
      state.requests = [];
      state.faults.clear();
    },
    async close() {
      await Promise.all([hub.close(), cdn?.close()]);
    },
  };
}

/** The file's bytes (all, or the requested range), with the fault for this request if any. */
function serveBytes(req: IncomingMessage, res: ServerResponse, entry: HubRequest, stored: StoredFile, fault: HubFault | null) {
  const size = stored.bytes.byteLength;
  res.setHeader('ETag', stored.etag);
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Content-Type', stored.file.endsWith('.json') ? 'application/json' : 'application/octet-stream');
  let start = 0;
  let end = size - 1;
  const range = req.headers.range;
  if (range) {
    const m = /^bytes=(\d+)-(\d*)$/.exec(range.trim());
    const from = m ? Number(m[1]) : Number.NaN;
    const to = m?.[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
    if (!(from < size && from <= to)) {
      entry.status = 416;
      res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
      return;
    }
    [start, end] = [from, to];
    entry.status = 206;
    res.writeHead(206, { 'Content-Range': `bytes ${start}-${end}/${size}`, 'Content-Length': String(end - start + 1) });
  } else {
    entry.status = 200;
    res.writeHead(200, { 'Content-Length': String(size) });
  }
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const body = stored.bytes.subarray(start, end + 1);
  if (fault?.kind === 'drop' || fault?.kind === 'stall') {
    res.write(body.subarray(0, fault.afterBytes), () => {
      // The bytes reach the client first; then the connection is cut, or kept silent until the client leaves.
      if (fault.kind === 'drop') setTimeout(() => res.destroy(), 20);
    });
    return;
  }
  res.end(body);
}

function error(res: ServerResponse, entry: HubRequest, status: number, code: string | null, message: string) {
  entry.status = status;
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Error-Message': message };
  if (code) headers['X-Error-Code'] = code;
  res.writeHead(status, headers).end(JSON.stringify({ error: message }));
}

function loadFiles(files: RevisionFiles): Record<string, Uint8Array> {
  if (typeof files !== 'string') {
    return Object.fromEntries(Object.entries(files).map(([name, content]) => [name, typeof content === 'string' ? new TextEncoder().encode(content) : content]));
  }
  return Object.fromEntries(
    readdirSync(files)
      .filter((name) => statSync(join(files, name)).isFile())
      .map((name) => [name, new Uint8Array(readFileSync(join(files, name)))]),
  );
}

async function listen(handle: (req: IncomingMessage, res: ServerResponse) => void, port: number): Promise<{ port: number; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'authorization, range');
    res.setHeader('Access-Control-Expose-Headers', EXPOSED.join(', '));
    if (req.method === 'OPTIONS') res.writeHead(204).end();
    else handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

// Command line: npx tsx test/support/hub-server.ts --port 8788 --repo owner/name[@revision]=DIR ... [--token T] [--cdn]
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const values = (name: string) => args.flatMap((a, i) => (a === name && args[i + 1] !== undefined ? [args[i + 1]!] : []));
  const repos: Record<string, Record<string, string>> = {};
  for (const spec of values('--repo')) {
    const m = /^([^@=]+)(?:@([^=]+))?=(.+)$/.exec(spec);
    if (!m) throw new Error(`--repo ${spec}: write owner/name[@revision]=DIR`);
    (repos[m[1]!] ??= {})[m[2] ?? 'main'] = m[3]!;
  }
  if (Object.keys(repos).length === 0) repos['test/tiny-llama'] = { main: 'test/fixtures/tiny-llama' };
  const token = values('--token')[0];
  const started = await startHubServer({
    port: Number(values('--port')[0] ?? 8788),
    repos,
    cdn: args.includes('--cdn'),
    ...(token ? { tokens: Object.fromEntries(Object.keys(repos).map((r) => [r, token])) } : {}),
  });
  console.log(`Hub test server: endpoint ${started.endpoint}, repos ${Object.keys(repos).join(', ')}${started.cdnOrigin ? `, CDN ${started.cdnOrigin}` : ''}; Ctrl-C stops it.`);
}
