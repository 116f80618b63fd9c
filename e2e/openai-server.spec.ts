import type { Page } from '@playwright/test';
import { expect, E2E_API_KEY, test } from './support/openai-server-fixture.ts';

// The studio calls a user's provider cross-origin from the page. These check, in Chromium, that the
// test server the later e2e tests rely on allows that: the preflight for an Authorization header
// passes, SSE streams in, and Retry-After is readable on a 429 (it is not a CORS-safelisted header).

/** From the page: a streamed chat request with the key, as the studio sends it; the response read to its end. */
function chatFromPage(page: Page, baseUrl: string, content: string) {
  return page.evaluate(
    async ({ baseUrl, key, content }) => {
      const response = await fetch(`${baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
        body: JSON.stringify({ model: 'fake-reasoner', stream: true, messages: [{ role: 'user', content }] }),
      });
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      return { status: response.status, contentType: response.headers.get('content-type'), retryAfter: response.headers.get('retry-after'), text };
    },
    { baseUrl, key: E2E_API_KEY, content },
  );
}

test('the page can stream a chat completion from the test server cross-origin', async ({ page, openaiServer }) => {
  await page.goto('/');
  const result = await chatFromPage(page, openaiServer.baseUrl, 'hi <<answer:yes>>');
  expect(result.status).toBe(200);
  expect(result.contentType).toContain('text/event-stream');
  const content = result.text
    .split('\n')
    .filter((line) => line.startsWith('data: {'))
    .map((line) => (JSON.parse(line.slice(6)) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content ?? '')
    .join('');
  expect(content).toMatch(/So the answer is yes\.$/);
  expect(result.text.trim().endsWith('data: [DONE]')).toBe(true);
  expect(openaiServer.stats()).toMatchObject({ chatRequests: 1, completed: 1 });
  expect(openaiServer.stats().preflights).toBeGreaterThanOrEqual(1);
});

test('the page can read Retry-After on a cross-origin 429', async ({ page, openaiServer }) => {
  openaiServer.enqueue({ kind: 'rate-limit', retryAfter: '3' });
  await page.goto('/');
  const { status, retryAfter } = await chatFromPage(page, openaiServer.baseUrl, 'x');
  expect({ status, retryAfter }).toEqual({ status: 429, retryAfter: '3' });
});
