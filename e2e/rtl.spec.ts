import type { Locator } from '@playwright/test';
import { ReasoningPage } from './pages/reasoning-page.ts';
import { StudioPage } from './pages/studio-page.ts';
import { expect, E2E_API_KEY, test } from './support/openai-server-fixture.ts';

/** An XQuAD validation question in Arabic, long enough to be cut off in the example list at 1280x720. */
const ARABIC_ID = 'xquad-ar-en-56beb7953aeaaa14008c92ac';
const ARABIC_QUESTION = 'كم عدد النقاط التي سجلها البرونكوس في الدقائق الثلاث الأخيرة من المباراة ضد بيتسبرغ؟';

/** The direction the browser lays the element out in (what `dir`, inherited or `auto`, resolves to). */
const direction = (element: Locator) => element.evaluate((el) => getComputedStyle(el).direction);

/**
 * Whether the first characters of the element's text are drawn inside its box, i.e. not cut off by
 * its overflow: the start of the text is what a reader needs to recognise it, in either direction.
 */
const startIsVisible = (element: Locator) =>
  element.evaluate((el) => {
    const text = document.createTreeWalker(el, NodeFilter.SHOW_TEXT).nextNode();
    if (!text?.textContent) return false;
    const start = document.createRange();
    start.setStart(text, 0);
    start.setEnd(text, Math.min(6, text.textContent.length));
    const box = el.getBoundingClientRect();
    const rects = [...start.getClientRects()];
    return rects.length > 0 && rects.every((r) => r.left >= box.left - 0.5 && r.right <= box.right + 0.5);
  });

test.describe('right-to-left text', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test('an Arabic question is laid out right to left, its start visible, in the list, the details and the preview', async ({ page }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    await studio.taskPicker().selectOption({ label: 'XQuAD (cross-lingual QA)' });
    await page.getByRole('combobox', { name: 'Split' }).selectOption('validation');
    await page.getByRole('combobox', { name: 'Language' }).selectOption('ar');
    const row = studio.examples().getByRole('option').filter({ hasText: ARABIC_ID });
    await row.click();
    await expect(row).toHaveAttribute('aria-selected', 'true');

    const listed = row.getByText(ARABIC_QUESTION, { exact: true });
    expect(await direction(listed)).toBe('rtl');
    // The list row is narrower than the question: it is cut off, at its end.
    expect(await listed.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    expect(await startIsVisible(listed)).toBe(true);
    // The id beside it stays left to right.
    expect(await direction(row.getByText(ARABIC_ID, { exact: true }))).toBe('ltr');

    const detail = page.getByRole('region', { name: 'Selected example' }).getByText(ARABIC_QUESTION, { exact: true });
    expect(await direction(detail)).toBe('rtl');

    // In the prompts the question is an isolated right-to-left run inside left-to-right instructions.
    for (const role of ['beta', 'tau'] as const) {
      const prompt = studio.preview(role).getByTestId(role === 'beta' ? 'I_β prompt text' : 'I_τ input text');
      expect(await direction(prompt)).toBe('ltr');
      expect(await direction(prompt.getByText(ARABIC_QUESTION, { exact: true }))).toBe('rtl');
    }
  });

  test('a left-to-right question in the list keeps its start visible too', async ({ page }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    await page.getByRole('combobox', { name: 'Language' }).selectOption('fi');
    const question = studio.examples().getByRole('option').first().locator('.example-question');
    expect(await direction(question)).toBe('ltr');
    expect(await startIsVisible(question)).toBe(true);
  });

  test("the large model's Arabic final answer is shown right to left", async ({ page, openaiServer }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    await studio.taskPicker().selectOption({ label: 'XQuAD (cross-lingual QA)' });
    await page.getByRole('combobox', { name: 'Language' }).selectOption('ar');
    await studio.examples().getByRole('option').first().click();
    const reasoning = new ReasoningPage(studio);
    await reasoning.setUpProvider({ baseUrl: openaiServer.baseUrl, model: 'fake-reasoner', apiKey: E2E_API_KEY });
    openaiServer.enqueue({ kind: 'normal', answer: 'بيتسبرغ ستيلرز' });
    await reasoning.card().getByRole('button', { name: 'Generate reasoning' }).click();
    const answer = reasoning.card().getByLabel('Parsed answer').getByText('بيتسبرغ ستيلرز');
    await expect(answer).toBeVisible();
    expect(await direction(answer)).toBe('rtl');
    expect(await direction(reasoning.cardText())).toBe('ltr');
  });
});
