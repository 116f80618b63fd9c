import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openModelFiles } from '../../../../src/engine/sources/open.ts';
import { hubServerPerFile } from '../../../support/hub-server-hooks.ts';
import { tinyLlamaFiles } from '../../../support/hub-repos.ts';

const tiny = tinyLlamaFiles();
const server = hubServerPerFile({ repos: { demo: { main: 'test/fixtures/tiny-llama' } } });
// The resolve layout is plain static files under one base URL as well.
const base = () => `${server().endpoint}/demo/resolve/main`;

describe('URL source', () => {
  it('lists the files under the base URL with sizes by HEAD, and reads them', async () => {
    const files = openModelFiles({ kind: 'url', label: 'Demo model', baseUrl: base() }, { retryDelayMs: 1 });
    expect(files.label).toBe('Demo model');
    expect(await files.list()).toEqual([
      { name: 'config.json', size: tiny['config.json'].byteLength, cached: false },
      { name: 'model.safetensors', size: tiny['model.safetensors'].byteLength, cached: false },
    ]);
    expect(server().requests.every((r) => r.method === 'HEAD' && r.authorization === null)).toBe(true);
    expect(await files.read('model.safetensors')).toEqual(tiny['model.safetensors']);
    expect(await files.read('tokenizer.json')).toBeNull();
  });

  it('resumes a dropped download and names the server and file when it gives up', async () => {
    server().fault('model.safetensors', { kind: 'drop', afterBytes: 4_000 });
    const files = openModelFiles({ kind: 'url', label: 'Demo model', baseUrl: `${base()}/` }, { retryDelayMs: 1, retries: 1 });
    expect(await files.read('model.safetensors')).toEqual(tiny['model.safetensors']);
    expect(server().requests.filter((r) => r.method === 'GET').map((r) => r.status)).toEqual([200, 206]);

    server().fault('config.json', { kind: 'status', status: 500, times: 2 });
    await expect(files.read('config.json')).rejects.toMatchObject({
      kind: 'network',
      message: `The server at ${base()}/ answered 500 for config.json of Demo model 2 times in a row: it may be down or busy; try again later.`,
    });
  });

  it('a server that answers missing files with the app’s HTML page (an SPA fallback) has no such files', async () => {
    const served: Record<string, Uint8Array> = { 'config.json': tiny['config.json'], 'model.safetensors': tiny['model.safetensors'] };
    const fetch = (input: RequestInfo | URL) => {
      const url = input instanceof Request ? input.url : input.toString();
      const file = decodeURIComponent(url.split('/').at(-1) ?? '');
      const bytes = served[file];
      return Promise.resolve(
        bytes
          ? new Response(new Uint8Array(bytes), { headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.byteLength) } })
          : new Response('<!doctype html><title>studio</title>', { headers: { 'content-type': 'text/html; charset=utf-8' } }),
      );
    };
    const files = openModelFiles({ kind: 'url', label: 'Demo model', baseUrl: 'http://127.0.0.1:1/models/demo/' }, { retryDelayMs: 1, fetch });
    expect((await files.list()).map((f) => f.name)).toEqual(['config.json', 'model.safetensors']);
  });

  it('an HTML page where a file should be (a static server’s fallback to index.html) is an absent file', async () => {
    const files: Record<string, Uint8Array> = { 'config.json': tiny['config.json'], 'model.safetensors': tiny['model.safetensors'] };
    // As vite preview and SPA hosts answer: 200 with the app's page for every path they have no file for.
    const spa = createServer((req, res) => {
      const body = files[(req.url ?? '').replace(/^\/models\//, '')];
      if (body) res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(body.byteLength) }).end(req.method === 'HEAD' ? undefined : body);
      else res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(req.method === 'HEAD' ? undefined : '<!doctype html><title>app</title>');
    });
    await new Promise<void>((resolve) => spa.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = spa.address() as AddressInfo;
      const source = openModelFiles({ kind: 'url', label: 'Demo model', baseUrl: `http://127.0.0.1:${port}/models/` }, { retryDelayMs: 1 });
      expect((await source.list()).map((f) => f.name)).toEqual(['config.json', 'model.safetensors']);
    } finally {
      await new Promise((resolve) => spa.close(resolve));
    }
  });
});
