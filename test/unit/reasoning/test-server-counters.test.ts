import { expect, it } from 'vitest';
import { openAIServerPerFile } from '../../support/openai-server-hooks.ts';

// The e2e tests count completions on the test server to prove each example was generated exactly
// once; a stream the client abandoned (a cancelled batch) must not count as completed.
const server = openAIServerPerFile();

it('a stream the client aborts is not counted as completed', async () => {
  server().enqueue({ kind: 'slow', chunkDelayMs: 20 });
  const controller = new AbortController();
  const response = await fetch(`${server().baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ model: 'fake-reasoner', stream: true, messages: [{ role: 'user', content: 'x' }] }),
    signal: controller.signal,
  });
  const reader = response.body!.getReader();
  await reader.read();
  controller.abort();
  await reader.read().catch(() => undefined);
  // Long enough for the server to have written every chunk had the client stayed.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expect(server().stats()).toMatchObject({ chatRequests: 1, completed: 0, inFlight: 0 });
});
