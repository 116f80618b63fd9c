import { test as base } from '@playwright/test';
import { startOpenAIServer, type StartedOpenAIServer } from '../../test/support/openai-server.ts';

/**
 * Playwright fixture: a local OpenAI-compatible test server on 127.0.0.1 (random port), started
 * once per worker and reset before each test. Tests script faults and read counters on it directly
 * (`openaiServer.enqueue(...)`, `openaiServer.stats()`), and give the app `openaiServer.baseUrl`.
 *
 *   import { test, expect } from './support/openai-server-fixture.ts';
 *   test('...', async ({ page, openaiServer }) => { ... });
 */
export const test = base.extend<{ openaiServer: StartedOpenAIServer }, { openaiServerWorker: StartedOpenAIServer }>({
  openaiServerWorker: [
    // Playwright reads the fixtures a function needs from its destructuring pattern: none here.
    // eslint-disable-next-line no-empty-pattern
    async ({}, provide) => {
      const server = await startOpenAIServer({ apiKey: E2E_API_KEY });
      await provide(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  openaiServer: async ({ openaiServerWorker }, provide) => {
    openaiServerWorker.reset();
    await provide(openaiServerWorker);
  },
});

/** The key the e2e server requires; made up for tests, never a real one. */
export const E2E_API_KEY = 'sk-e2e-made-up-key-0011223344556677';

export { expect } from '@playwright/test';
