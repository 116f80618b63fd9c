import { expect, type Locator, type Page } from '@playwright/test';
import type { StudioPage } from './studio-page.ts';

/** The Tuning tab's model panel as a user sees it: the source, its size and fit, the load, the cached models. */
export class ModelPage {
  readonly page: Page;

  constructor(readonly studio: StudioPage) {
    this.page = studio.page;
  }

  async openTab(): Promise<void> {
    await this.page.getByRole('tab', { name: 'Tuning' }).click();
    await expect(this.tab()).toBeVisible();
  }

  tab(): Locator {
    return this.page.getByRole('tabpanel', { name: 'Tuning' });
  }

  async chooseMode(label: 'Demo model' | 'A preset' | 'A Hub repo' | 'Files on this computer'): Promise<void> {
    await this.tab().getByRole('radio', { name: new RegExp(`^${label}`) }).check();
  }

  /** Choose a Hub repo at an endpoint and check it (its size and fit are then shown). */
  async checkHubRepo(repo: string, endpoint: string, revision = 'main'): Promise<void> {
    await this.chooseMode('A Hub repo');
    const form = this.tab().getByRole('form', { name: 'Hub repo' });
    await form.getByRole('textbox', { name: 'Repo id' }).fill(repo);
    await form.getByRole('textbox', { name: 'Revision' }).fill(revision);
    await this.openHubAccess();
    await form.getByRole('textbox', { name: 'Hub endpoint' }).fill(endpoint);
    await form.getByRole('button', { name: 'Check size and fit' }).click();
  }

  /** The endpoint and token fields (a <details> the user may have opened already). */
  async openHubAccess(): Promise<void> {
    const details = this.tab().locator('details', { has: this.page.getByText('Hub endpoint and access token') });
    if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  }

  tokenField(): Locator {
    return this.tab().getByLabel('Access token');
  }

  size(): Locator {
    return this.tab().getByRole('status', { name: 'Model size' });
  }

  verdict(): Locator {
    return this.tab().getByRole('status', { name: 'Fit verdict' });
  }

  advice(): Locator {
    return this.tab().getByRole('list', { name: 'What to change' });
  }

  loadButton(): Locator {
    return this.tab().getByRole('button', { name: /^Load / });
  }

  cancelButton(): Locator {
    return this.tab().getByRole('button', { name: 'Cancel' });
  }

  progress(): Locator {
    return this.tab().getByRole('status', { name: 'Loading' });
  }

  filesLoaded(): Locator {
    return this.tab().getByRole('list', { name: 'Files loaded' });
  }

  loaded(): Locator {
    return this.tab().getByRole('status', { name: 'Loaded model' });
  }

  /** An engine failure shown in the panel (role alert), by its text. */
  error(text: RegExp): Locator {
    return this.tab().getByRole('alert').filter({ hasText: text });
  }

  cachedModels(): Locator {
    return this.tab().getByRole('table', { name: 'Cached models' });
  }

  cachedSection(): Locator {
    return this.tab().getByRole('region', { name: 'Cached models' });
  }
}
