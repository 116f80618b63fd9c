import { ReasoningPage } from './pages/reasoning-page.ts';
import { StudioPage } from './pages/studio-page.ts';
import { expect, E2E_API_KEY, test } from './support/openai-server-fixture.ts';

const XQUAD = 'XQuAD (cross-lingual QA)';
const ATTRIQA = 'XOR-AttriQA (attribution)';

test.describe('each task keeps its own setup', () => {
  test('switching tasks keeps each task’s instructions and exemplars, also after a reload', async ({ page }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    const mine = 'My attribution check.\n{{exemplars}}\nQuestion: {{question}}\nPassage: {{passage}}\nAnswer: {{answer}}\nReasoning:';
    await studio.api((api, text) => api.setInstruction('beta', text), mine);
    await studio.examples().getByRole('option').first().click();
    await page.getByRole('button', { name: 'Use as exemplar' }).click();
    await expect(page.getByRole('tab', { name: 'Exemplars (1)' })).toBeVisible();

    await studio.taskPicker().selectOption({ label: XQUAD });
    await expect(studio.exampleCount()).toHaveText(/ of /);
    // XQuAD starts from the extractive-QA starters: no classification I_β, so no template error.
    expect(await studio.instruction('beta')).not.toBe(mine);
    expect(await studio.instruction('beta')).not.toContain('{{answer}}');
    await expect(studio.instructionPanel('beta').getByLabel('0 errors in I_β')).toBeVisible();
    // XOR-AttriQA's exemplar is not XQuAD's.
    await expect(page.getByRole('tab', { name: 'Exemplars (0)' })).toBeVisible();
    await expect(studio.preview('beta')).not.toContainText('Label:');
    const xquadBeta = 'XQuAD reasoning.\n{{exemplars}}\nQuestion: {{question}}\nPassage: {{passage}}\nReasoning:';
    await studio.api((api, text) => api.setInstruction('beta', text), xquadBeta);

    await studio.taskPicker().selectOption({ label: ATTRIQA });
    expect(await studio.instruction('beta')).toBe(mine);
    await expect(page.getByRole('tab', { name: 'Exemplars (1)' })).toBeVisible();

    await studio.flushSave();
    await studio.reload();
    expect(await studio.instruction('beta')).toBe(mine);
    await studio.taskPicker().selectOption({ label: XQUAD });
    expect(await studio.instruction('beta')).toBe(xquadBeta);
    await expect(page.getByRole('tab', { name: 'Exemplars (0)' })).toBeVisible();
  });

  test('a reasoning answering "yes" agrees with gold on a supported XOR-AttriQA example', async ({ page, openaiServer }) => {
    const studio = new StudioPage(page);
    await studio.goto();
    const reasoning = new ReasoningPage(studio);
    await reasoning.setUpProvider({ baseUrl: openaiServer.baseUrl, model: 'fake-reasoner', apiKey: E2E_API_KEY });
    await page.getByRole('combobox', { name: 'Label' }).selectOption({ label: 'supported' });
    await studio.examples().getByRole('option').first().click();
    await reasoning.card().getByRole('button', { name: 'Generate reasoning' }).click();
    await expect(reasoning.cardText()).toContainText('So the answer is yes.');
    const parsed = reasoning.card().getByLabel('Parsed answer');
    await expect(parsed).toHaveText('Parsed answer “yes”: agrees with gold (supported).');

    // The synonyms are editable per label; a list that does not read is kept as typed and not used.
    await reasoning.openTab();
    const supported = reasoning.tab().getByRole('textbox', { name: 'Words read as supported' });
    await expect(supported).toHaveValue(/^yes, /);
    await supported.fill('');
    await expect(parsed).toHaveText('Unparsed: “yes” names no label of this task (gold: supported).');
    await supported.fill('sure, yes, no');
    await expect(reasoning.tab().getByRole('alert')).toHaveText('“no” already reads as the label not supported');
    await expect(supported).toHaveValue('sure, yes, no');
    await expect(parsed).toHaveText('Unparsed: “yes” names no label of this task (gold: supported).');
    await supported.fill('sure, yes');
    await expect(reasoning.tab().getByRole('alert')).toHaveCount(0);
    await expect(parsed).toHaveText('Parsed answer “yes”: agrees with gold (supported).');
  });
});
