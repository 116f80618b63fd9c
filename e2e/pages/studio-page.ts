import { expect, type Locator, type Page } from '@playwright/test';
import type { FiatTestApi } from '../../src/ui/testing/test-api-types.ts';

export type Role = 'beta' | 'tau';
const ROLE_NAME: Record<Role, string> = { beta: 'I_β', tau: 'I_τ' };

/** The studio as a user sees it: regions and controls found by role and label. */
export class StudioPage {
  constructor(readonly page: Page) {}

  /** Open the studio and wait until the project and task are loaded and the editors are up. */
  async goto(): Promise<void> {
    await this.page.goto('/');
    await this.waitReady();
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.waitReady();
  }

  async waitReady(): Promise<void> {
    await this.page.waitForFunction(() => window.__fiat !== undefined);
    await this.page.evaluate(() => window.__fiat?.ready());
    await expect(this.editor('beta')).toBeAttached();
    await expect(this.editor('tau')).toBeAttached();
  }

  /** Run a function against the test API in the page (`fn` is serialized: it sees only its arguments). */
  async api<R>(fn: (api: FiatTestApi, arg: string) => R | Promise<R>, arg = ''): Promise<R> {
    const handle = await this.page.evaluateHandle(() => {
      if (!window.__fiat) throw new Error('test API missing: is this an e2e build?');
      return window.__fiat;
    });
    try {
      return await handle.evaluate(fn, arg);
    } finally {
      await handle.dispose();
    }
  }

  /** The app-level message bar (role alert for errors). */
  notice(text: RegExp): Locator {
    return this.page.getByRole('alert').filter({ hasText: text });
  }

  /** The chosen task's instruction. */
  instruction(role: Role): Promise<string> {
    return this.api((api, r) => {
      const project = api.project();
      return project.tasks[project.taskId]?.instructions[r as Role] ?? '';
    }, role);
  }

  /** The Monaco editor's text input of an instruction. */
  editor(role: Role): Locator {
    return this.page.getByRole('textbox', { name: `${ROLE_NAME[role]} instruction` });
  }

  /** The section around an instruction's editor. */
  instructionPanel(role: Role): Locator {
    return this.page.getByRole('region', { name: `${ROLE_NAME[role]} instruction` });
  }

  problems(role: Role): Locator {
    return this.page.getByRole('list', { name: `Problems in ${ROLE_NAME[role]}` });
  }

  /** Put the cursor at the end of an instruction and type, key by key. */
  async typeAtEnd(role: Role, text: string): Promise<void> {
    await this.instructionPanel(role).locator('.monaco-editor .view-lines').click();
    await this.page.keyboard.press('Control+End');
    await this.page.keyboard.type(text, { delay: 20 });
  }

  preview(role: Role): Locator {
    return this.page.getByRole('article', { name: role === 'beta' ? 'I_β prompt' : 'I_τ input' });
  }

  exampleCount(): Locator {
    return this.page.getByRole('status', { name: 'Example count' });
  }

  examples(): Locator {
    return this.page.getByRole('listbox', { name: 'Examples' });
  }

  taskPicker(): Locator {
    return this.page.getByRole('combobox', { name: 'Task' });
  }

  saveStatus(): Locator {
    return this.page.getByRole('status', { name: 'Save status' });
  }

  dialog(name: string): Locator {
    return this.page.getByRole('dialog', { name });
  }

  /** Wait until the project is written to IndexedDB. */
  async flushSave(): Promise<void> {
    await this.api((api) => api.flushSave());
  }
}
