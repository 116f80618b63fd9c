import type { StudioPage } from '../pages/studio-page.ts';

/**
 * A small two-language classification dataset for a whole FIAT run: 6 train and 6 validation examples, 3 of each per
 * language, both labels in every language's validation examples (so each language has an AUC-PR). Each question
 * carries `<<answer:…>>`, the answer the local OpenAI-compatible server's reasoning ends with (as in tiny-dataset.ts):
 * the train ones agree with gold, two validation ones do not. Texts are short: the run's sequences are 128 tokens.
 */
const rows = [
  { id: 'fi-en-1', lang: 'en', split: 'train', question: 'Who wrote it? <<answer:supported>>', passage: 'Ann wrote it.', answer: 'Ann', label: 'supported' },
  { id: 'fi-en-2', lang: 'en', split: 'train', question: 'When was it built? <<answer:not supported>>', passage: 'It is old.', answer: '1999', label: 'not supported' },
  { id: 'fi-en-3', lang: 'en', split: 'train', question: 'Where is it? <<answer:supported>>', passage: 'It is in Oslo.', answer: 'Oslo', label: 'supported' },
  { id: 'fi-fi-1', lang: 'fi', split: 'train', question: 'Kuka sen kirjoitti? <<answer:supported>>', passage: 'Anna kirjoitti sen.', answer: 'Anna', label: 'supported' },
  { id: 'fi-fi-2', lang: 'fi', split: 'train', question: 'Milloin se rakennettiin? <<answer:not supported>>', passage: 'Se on vanha.', answer: '1999', label: 'not supported' },
  { id: 'fi-fi-3', lang: 'fi', split: 'train', question: 'Missä se on? <<answer:not supported>>', passage: 'Kukaan ei tiedä.', answer: 'Oulu', label: 'not supported' },
  { id: 'fv-en-1', lang: 'en', split: 'validation', question: 'Who owns it? <<answer:supported>>', passage: 'Bo owns it.', answer: 'Bo', label: 'supported' },
  { id: 'fv-en-2', lang: 'en', split: 'validation', question: 'How tall is it? <<answer:not supported>>', passage: 'It is blue.', answer: '40 m', label: 'not supported' },
  { id: 'fv-en-3', lang: 'en', split: 'validation', question: 'Who found it? <<answer:supported>>', passage: 'Eva found it.', answer: 'Eva', label: 'supported' },
  { id: 'fv-fi-1', lang: 'fi', split: 'validation', question: 'Kenen se on? <<answer:supported>>', passage: 'Se on Bon.', answer: 'Bo', label: 'supported' },
  { id: 'fv-fi-2', lang: 'fi', split: 'validation', question: 'Kuinka korkea se on? <<answer:supported>>', passage: 'Se on sininen.', answer: '40 m', label: 'not supported' },
  { id: 'fv-fi-3', lang: 'fi', split: 'validation', question: 'Milloin se avattiin? <<answer:not supported>>', passage: 'Se avattiin 2001.', answer: '2001', label: 'supported' },
];

export const FIAT_TRAIN_COUNT = 6;
export const FIAT_VALIDATION_COUNT = 6;

/** Import the dataset through the app's import pipeline; it becomes the current task. */
export async function importFiatDataset(studio: StudioPage): Promise<void> {
  const jsonl = rows.map((r) => JSON.stringify(r)).join('\n');
  await studio.api((api, text) => api.importDataset(text, 'fiat-run.jsonl'), jsonl);
}
