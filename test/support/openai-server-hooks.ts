import { afterAll, afterEach, beforeAll } from 'vitest';
import { startOpenAIServer, type OpenAIServerOptions, type StartedOpenAIServer } from './openai-server.ts';

/**
 * A vitest file's OpenAI-compatible test server on 127.0.0.1: started before the file's tests, reset after
 * each test (requests, counters, queued behaviours), closed after them all. Returns a getter for the started
 * server, to call inside tests and helpers (it throws before beforeAll has run).
 * (e2e/support/openai-server-fixture.ts is the Playwright counterpart.)
 */
export function openAIServerPerFile(options: OpenAIServerOptions = {}): () => StartedOpenAIServer {
  let server: StartedOpenAIServer | undefined;
  beforeAll(async () => {
    server = await startOpenAIServer(options);
  });
  afterEach(() => server?.reset());
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error('the test server starts in beforeAll: use it inside a test');
    return server;
  };
}
