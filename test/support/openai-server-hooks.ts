import { startOpenAIServer, type OpenAIServerOptions, type StartedOpenAIServer } from './openai-server.ts';
import { serverPerFile } from './server-per-file.ts';

/**
 * A vitest file's OpenAI-compatible test server on 127.0.0.1: started before the file's tests, reset after
 * each test (requests, counters, queued behaviours), closed after them all. Returns a getter for the started
 * server, to call inside tests and helpers (it throws before beforeAll has run).
 * (e2e/support/openai-server-fixture.ts is the Playwright counterpart.)
 */
export function openAIServerPerFile(options: OpenAIServerOptions = {}): () => StartedOpenAIServer {
  return serverPerFile(() => startOpenAIServer(options), 'test server');
}
