import { test as base } from '@playwright/test';
import { startHubServer, type StartedHubServer } from '../../test/support/hub-server.ts';

/** The offline demo model as a Hub repo: its files in public/models/demo/ (README.md included, which loads ignore). */
export const DEMO_REPO = { repo: 'fiat-studio/demo', revision: 'main' } as const;
/** The same files behind a token: a gated or private repo. */
export const GATED_REPO = { repo: 'fiat-studio/gated', revision: 'main' } as const;
/** A made-up token for GATED_REPO, never a real one. */
export const GATED_TOKEN = 'hf_e2eMadeUpToken00112233';

/**
 * Playwright fixture: a local Hugging Face Hub (test/support/hub-server.ts) on 127.0.0.1 (random port), started once
 * per worker and reset before each test (request log and scripted faults). The page is on another origin (vite
 * preview), so every request crosses CORS under the page's COEP: credentialless, as with the real Hub.
 *
 *   import { test, expect } from './support/hub-server-fixture.ts';
 *   test('...', async ({ page, hub }) => { hub.fault('config.json', { kind: 'status', status: 500 }); ... hub.endpoint ... });
 */
export const test = base.extend<{ hub: StartedHubServer }, { hubWorker: StartedHubServer }>({
  hubWorker: [
    // Playwright reads the fixtures a function needs from its destructuring pattern: none here.
    // eslint-disable-next-line no-empty-pattern
    async ({}, provide) => {
      const demo = 'public/models/demo';
      const server = await startHubServer({
        repos: { [DEMO_REPO.repo]: { [DEMO_REPO.revision]: demo }, [GATED_REPO.repo]: { [GATED_REPO.revision]: demo } },
        tokens: { [GATED_REPO.repo]: GATED_TOKEN },
      });
      await provide(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  hub: async ({ hubWorker }, provide) => {
    hubWorker.reset();
    await provide(hubWorker);
  },
});

export { expect } from '@playwright/test';
