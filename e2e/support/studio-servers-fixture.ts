import { mergeTests } from '@playwright/test';
import { test as hubTest } from './hub-server-fixture.ts';
import { test as openaiTest } from './openai-server-fixture.ts';

export { DEMO_REPO } from './hub-server-fixture.ts';
export { E2E_API_KEY } from './openai-server-fixture.ts';

/**
 * Playwright fixture with both local servers a whole FIAT run needs: the Hub serving the demo model (`hub`, the small
 * model θ_τ) and the OpenAI-compatible server (`openaiServer`, the large model θ_β). Each keeps its own file and
 * lifecycle (started once per worker, reset before each test); this only merges them.
 *
 *   import { test, expect } from './support/studio-servers-fixture.ts';
 *   test('...', async ({ page, hub, openaiServer }) => { ... });
 */
export const test = mergeTests(hubTest, openaiTest);

export { expect } from '@playwright/test';
