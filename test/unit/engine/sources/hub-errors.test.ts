import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../../src/engine/errors.ts';
import { openModelFiles } from '../../../../src/engine/sources/open.ts';
import { readRequired, type SourceDeps } from '../../../../src/engine/sources/model-files.ts';
import { startHubServer } from '../../../support/hub-server.ts';
import { hubServerPerFile } from '../../../support/hub-server-hooks.ts';

const TOKEN = 'hf_SecretTokenNeverShown42';
const hub = hubServerPerFile({
  repos: { 'test/tiny-llama': { main: 'test/fixtures/tiny-llama' }, 'test/private': { main: 'test/fixtures/tiny-llama' } },
  tokens: { 'test/private': TOKEN },
});
const fast: SourceDeps = { cache: null, retryDelayMs: 1, retries: 1 };

function source(repo: string, options: { revision?: string; token?: string; endpoint?: string } = {}) {
  return { kind: 'hub' as const, repo, revision: options.revision ?? 'main', endpoint: options.endpoint ?? hub().endpoint, ...(options.token ? { token: options.token } : {}) };
}

/** The EngineError a promise rejects with; fails the test when it resolves or rejects with anything else. */
async function failure(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof EngineError)) throw new Error(`expected an EngineError, got ${String(error)}`);
  // Whatever else is true, the token is nowhere in what the error carries.
  expect(JSON.stringify({ message: error.message, detail: error.detail, stack: error.stack })).not.toContain(TOKEN);
  return error;
}

describe('Hub source: errors a user can act on', () => {
  it('401 without a token: the repo is gated or private, give a token and accept the licence, naming the repo', async () => {
    const error = await failure(openModelFiles(source('test/private'), fast).list());
    expect(error).toMatchObject({ kind: 'network', detail: { status: 401, file: 'config.json' } });
    expect(error.message).toContain('"test/private"');
    expect(error.message).toMatch(/gated or private/);
    expect(error.message).toMatch(/access token/);
    expect(error.message).toContain(`${hub().endpoint}/test/private`);
  });

  it('401 with a wrong token and 403 with a good one: the token cannot read the repo or the licence is not accepted', async () => {
    const wrong = await failure(openModelFiles(source('test/private', { token: 'hf_wrong' }), fast).list());
    expect(wrong.message).toMatch(/refused config\.json of "test\/private" \(401\) with the access token given/);

    hub().fault('test/private:model.safetensors', { kind: 'status', status: 403, method: 'GET' });
    const gated = await failure(openModelFiles(source('test/private', { token: TOKEN }), fast).read('model.safetensors'));
    expect(gated).toMatchObject({ detail: { status: 403, file: 'model.safetensors' } });
    expect(gated.message).toMatch(/accepted its licence/);
    // The token was sent, as a header, and in no URL.
    expect(hub().requests.some((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(hub().requests.every((r) => !r.url.includes(TOKEN))).toBe(true);
  });

  it('404 of config.json: no such repo, or no such revision', async () => {
    const repo = await failure(openModelFiles(source('test/no-such-repo'), fast).list());
    expect(repo).toMatchObject({ kind: 'network', detail: { status: 404 } });
    expect(repo.message).toMatch(/No model "test\/no-such-repo" at revision "main"/);

    const revision = await failure(openModelFiles(source('test/tiny-llama', { revision: 'v9' }), fast).read('config.json'));
    expect(revision.message).toMatch(/"test\/tiny-llama" has no revision "v9"/);

    // Without the Hub's error code (a mirror), a missing config.json still means no model there.
    hub().fault('config.json', { kind: 'status', status: 404 });
    const plain = await failure(openModelFiles(source('test/tiny-llama'), fast).list());
    expect(plain.message).toMatch(/No model "test\/tiny-llama" at revision "main" .*no config\.json/);
  });

  it('a 404 of another file is that file missing; a needed one is an error naming it', async () => {
    hub().fault('model.safetensors', { kind: 'status', status: 404, method: 'GET', times: 2 });
    const files = openModelFiles(source('test/tiny-llama'), fast);
    expect(await files.read('model.safetensors')).toBeNull();
    const error = await failure(readRequired(files, 'model.safetensors', { kind: 'weights' }));
    expect(error).toMatchObject({ kind: 'weights', message: '"test/tiny-llama" has no model.safetensors, which the model needs.', detail: { file: 'model.safetensors' } });
    expect(await failure(readRequired(files, 'tokenizer.json'))).toMatchObject({ kind: 'network', detail: { file: 'tokenizer.json' } });
  });

  it('a listed file that is gone when downloaded (404) is a network error naming it, not an absent file', async () => {
    hub().fault('model.safetensors', { kind: 'status', status: 404, method: 'GET' });
    const files = openModelFiles(source('test/tiny-llama'), fast);
    expect((await files.list()).map((f) => f.name)).toContain('model.safetensors');
    const error = await failure(files.read('model.safetensors'));
    expect(error).toMatchObject({ kind: 'network', detail: { status: 404, file: 'model.safetensors' } });
    expect(error.message).toContain('model.safetensors');
    expect(error.message).toContain('"test/tiny-llama"');
  });

  it('5xx on a HEAD is retried, then reported with the status', async () => {
    hub().fault('config.json', { kind: 'status', status: 502, times: 2 });
    const error = await failure(openModelFiles(source('test/tiny-llama'), fast).list());
    expect(error).toMatchObject({ detail: { status: 502 } });
    expect(error.message).toMatch(/The Hub answered 502 for config\.json of "test\/tiny-llama" 2 times in a row/);
  });

  it('a download that keeps stalling says so', async () => {
    hub().fault('model.safetensors', { kind: 'stall', afterBytes: 100 }, { kind: 'stall', afterBytes: 0 });
    const error = await failure(openModelFiles(source('test/tiny-llama'), { ...fast, stallMs: 300 }).read('model.safetensors'));
    expect(error.message).toMatch(/The download of model\.safetensors of "test\/tiny-llama" stalled \(no data for 300 ms\) 2 times in a row/);
  });

  it('an endpoint nobody answers at: it cannot be reached (offline, address, CORS)', async () => {
    const closed = await startHubServer({ repos: {} });
    const endpoint = closed.endpoint;
    await closed.close();
    const error = await failure(openModelFiles(source('test/tiny-llama', { endpoint, token: TOKEN }), fast).list());
    expect(error).toMatchObject({ kind: 'network', detail: { file: 'config.json' } });
    expect(error.message).toMatch(/^Cannot reach the Hub at http:\/\/127\.0\.0\.1:\d+\/ .*offline.*CORS/);
  });

  it('refuses, without a request, what cannot be asked: a bad endpoint, repo name or token', () => {
    expect(() => openModelFiles(source('test/tiny-llama', { endpoint: 'huggingface.co' }), fast)).toThrow(/not a URL/);
    expect(() => openModelFiles(source('test/tiny-llama', { endpoint: `https://user:${TOKEN}@hub.example` }), fast)).toThrow(/must not hold a user name or password/);
    expect(() => openModelFiles(source('../etc/passwd'), fast)).toThrow(/not a Hub repo name/);
    let thrown: unknown;
    try {
      openModelFiles(source('test/tiny-llama', { token: `${TOKEN}\nX-Other: 1` }), fast);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EngineError);
    expect((thrown as EngineError).kind).toBe('usage');
    expect((thrown as EngineError).message).not.toContain(TOKEN);
    expect(hub().requests).toEqual([]);
  });
});
