import type { Locator, Page } from '@playwright/test';

/** The "Import a dataset" dialog: its file input, mapping step and lists of rows left out. */
export class ImportDialog {
  readonly dialog: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'Import a dataset' });
  }

  /** Open the dialog from the studio's button. */
  async open(): Promise<this> {
    await this.page.getByRole('button', { name: 'Import dataset…' }).click();
    return this;
  }

  /** Choose a file by its name and text (what a user picks in the file chooser). */
  async chooseFile(name: string, text: string | Buffer, mimeType = 'application/octet-stream'): Promise<void> {
    await this.dialog.getByLabel(/Dataset file/).setInputFiles({ name, mimeType, buffer: typeof text === 'string' ? Buffer.from(text) : text });
  }

  /** The mapping step (after a file was read). */
  form(): Locator {
    return this.dialog.getByRole('form', { name: 'Map fields' });
  }

  /** The rows left out, one list item each ("line N, field F: message"). */
  rowsLeftOut(): Locator {
    return this.dialog.getByRole('list', { name: 'Rows left out' }).getByRole('listitem');
  }

  /** The row of the mapping step's label table for a value found in the file. */
  labelValue(value: string): Locator {
    return this.form().getByRole('row').filter({ has: this.page.getByRole('cell', { name: value, exact: true }) });
  }

  /** What a label value found in the file counts as: a class of its own, another class, or left out. */
  countsAs(value: string): Locator {
    return this.form().getByRole('combobox', { name: `Label value ${value} counts as` });
  }
}
