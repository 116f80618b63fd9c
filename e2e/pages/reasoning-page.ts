import { expect, type Locator, type Page } from '@playwright/test';
import type { StudioPage } from './studio-page.ts';

/** The in-browser provider's form: the demo model, with generation settings as typed. */
export interface InBrowserForm {
  temperature?: string;
  maxTokens?: string;
  /** One stop sequence a line, as the form takes them. */
  stop?: string;
  seed?: string;
}

export interface ProviderForm {
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Preset label; default: the custom one. */
  preset?: string;
  temperature?: string;
  maxTokens?: string;
  /** Unticks "Stream the reasoning…" when false (one JSON response). */
  streaming?: boolean;
}

/**
 * The large model's side of the studio as a user sees it: the provider dialog, the Reasoning card of
 * the preview, and the Reasoning tab (answer pattern, batch, quality, cache).
 */
export class ReasoningPage {
  readonly page: Page;

  constructor(readonly studio: StudioPage) {
    this.page = studio.page;
  }

  /** Open the provider dialog (from the Reasoning tab) and save these settings. */
  async setUpProvider(form: ProviderForm): Promise<void> {
    await this.openTab();
    await this.tab().getByRole('button', { name: /^(Set up a provider|Provider settings)…$/ }).click();
    const dialog = this.providerDialog();
    await dialog.getByRole('combobox', { name: 'Preset' }).selectOption({ label: form.preset ?? 'Other OpenAI-compatible server' });
    await dialog.getByRole('textbox', { name: 'Base URL', exact: true }).fill(form.baseUrl);
    await dialog.getByRole('combobox', { name: 'Model', exact: true }).fill(form.model);
    if (form.apiKey !== undefined) await dialog.getByLabel('API key', { exact: true }).fill(form.apiKey);
    if (form.temperature !== undefined) await dialog.getByRole('textbox', { name: 'Temperature' }).fill(form.temperature);
    if (form.maxTokens !== undefined) await dialog.getByRole('textbox', { name: 'Max tokens', exact: true }).fill(form.maxTokens);
    if (form.streaming !== undefined) await dialog.getByRole('checkbox', { name: /^Stream the reasoning/ }).setChecked(form.streaming);
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(dialog).toHaveCount(0);
  }

  /** Open the provider dialog, choose the in-browser preset with the demo model, and save. */
  async setUpInBrowserProvider(form: InBrowserForm = {}): Promise<void> {
    await this.openTab();
    await this.tab().getByRole('button', { name: /^(Set up a provider|Provider settings)…$/ }).click();
    const dialog = this.providerDialog();
    await dialog.getByRole('combobox', { name: 'Preset' }).selectOption({ label: 'In-browser (small model on this device)' });
    await expect(dialog.getByRole('radio', { name: /^Demo model/ })).toBeChecked();
    // No server: no base URL and no key.
    await expect(dialog.getByLabel('API key', { exact: true })).toHaveCount(0);
    if (form.temperature !== undefined) await dialog.getByRole('textbox', { name: 'Temperature' }).fill(form.temperature);
    if (form.maxTokens !== undefined) await dialog.getByRole('textbox', { name: 'Max tokens', exact: true }).fill(form.maxTokens);
    if (form.stop !== undefined) await dialog.getByRole('textbox', { name: /^Stop sequences/ }).fill(form.stop);
    if (form.seed !== undefined) {
      await dialog.getByText('Advanced', { exact: true }).click();
      await dialog.getByRole('textbox', { name: 'Seed', exact: true }).fill(form.seed);
    }
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(dialog).toHaveCount(0);
  }

  /** Change max tokens in the saved provider's settings. */
  async setMaxTokens(maxTokens: string): Promise<void> {
    await this.openTab();
    await this.tab().getByRole('button', { name: 'Provider settings…' }).click();
    const dialog = this.providerDialog();
    await dialog.getByRole('textbox', { name: 'Max tokens', exact: true }).fill(maxTokens);
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(dialog).toHaveCount(0);
  }

  /** Enter prices per million tokens in the saved provider's settings. */
  async setPrices(input: string, output: string): Promise<void> {
    await this.tab().getByRole('button', { name: 'Provider settings…' }).click();
    const dialog = this.providerDialog();
    await dialog.getByRole('textbox', { name: 'Input price', exact: true }).fill(input);
    await dialog.getByRole('textbox', { name: 'Output price', exact: true }).fill(output);
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(dialog).toHaveCount(0);
  }

  providerDialog(): Locator {
    return this.studio.dialog('Large model provider');
  }

  async openTab(): Promise<void> {
    await this.page.getByRole('tab', { name: 'Reasoning' }).click();
    await expect(this.tab()).toBeVisible();
  }

  /** The Reasoning tab's content. */
  tab(): Locator {
    return this.page.getByRole('tabpanel', { name: 'Reasoning' });
  }

  /** The preview's Reasoning card for the selected example. */
  card(): Locator {
    return this.page.getByRole('article', { name: 'Reasoning' });
  }

  cardText(): Locator {
    return this.card().getByLabel('Reasoning text');
  }

  /** A reasoning model's final answer, shown apart from its reasoning (`cardText()`). */
  cardAnswerText(): Locator {
    return this.card().getByLabel('Final answer text');
  }

  /** Says why the shown generation (cut at max tokens, or empty) is not used. */
  cardTruncated(): Locator {
    return this.card().getByRole('status', { name: 'Truncated' });
  }

  cardStats(): Locator {
    return this.card().getByRole('status', { name: 'Reasoning stats' });
  }

  /** The card's reasoning length and whether it still says it is streaming, read at one instant. */
  async cardSnapshot(): Promise<{ length: number; streaming: boolean }> {
    return this.card().evaluate((card) => ({
      length: card.querySelector('[aria-label="Reasoning text"]')?.textContent?.length ?? 0,
      streaming: card.querySelector('[aria-label="Reasoning stats"]')?.textContent?.startsWith('Streaming') ?? false,
    }));
  }

  scope(): Locator {
    return this.tab().getByRole('combobox', { name: 'Examples' });
  }

  concurrency(): Locator {
    return this.tab().getByRole('spinbutton', { name: 'Requests at once' });
  }

  plan(): Locator {
    return this.tab().getByRole('status', { name: 'Batch plan' });
  }

  startButton(): Locator {
    return this.tab().getByRole('button', { name: /^(Generate reasoning|Resume) for \d+ examples$/ });
  }

  result(): Locator {
    return this.tab().getByRole('status', { name: 'Batch result' });
  }

  counts(): Locator {
    return this.tab().getByRole('status', { name: 'Batch counts' });
  }

  failures(): Locator {
    return this.tab().getByRole('list', { name: 'Failed examples' });
  }

  truncated(): Locator {
    return this.tab().getByRole('list', { name: 'Truncated examples' });
  }

  answerPattern(): Locator {
    return this.tab().getByRole('textbox', { name: /^Answer pattern/ });
  }

  agreementSummary(): Locator {
    return this.tab().getByLabel('Agreement summary');
  }

  iclBaseline(): Locator {
    return this.tab().getByLabel('ICL baseline');
  }

  trainingFilter(): Locator {
    return this.tab().getByRole('checkbox', { name: 'Train only on examples whose reasoning agrees with gold' });
  }

  /** The example list's row for an example id. */
  exampleRow(id: string): Locator {
    return this.studio.examples().getByRole('option').filter({ hasText: id });
  }

  /** Start a batch over the chosen scope and wait until it reports its result. */
  async runBatch(): Promise<void> {
    await this.startButton().click();
    await expect(this.result()).toBeVisible({ timeout: 30_000 });
  }
}
