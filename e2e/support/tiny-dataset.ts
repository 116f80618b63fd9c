import type { StudioPage } from '../pages/studio-page.ts';

/**
 * A five-example classification dataset for the reasoning tests. Each question carries a marker
 * `[ex-X]` (so the test server can fault one example's requests) and `<<answer:…>>`, the answer the
 * test server's reasoning ends with: ex-a, ex-b and ex-d agree with gold, ex-c does not. ex-e is
 * the one validation example.
 */
const rows = [
  { id: 'ex-a', question: 'Who wrote it? [ex-a] <<answer:supported>>', passage: 'It was written by Ann.', answer: 'Ann', label: 'supported' },
  { id: 'ex-b', question: 'When was it built? [ex-b] <<answer:not supported>>', passage: 'It is old.', answer: '1999', label: 'not supported' },
  { id: 'ex-c', question: 'Where is it? [ex-c] <<answer:supported>>', passage: 'Nobody knows.', answer: 'Oslo', label: 'not supported' },
  { id: 'ex-d', question: 'How tall is it? [ex-d] <<answer:not supported>>', passage: 'It is blue.', answer: '40 m', label: 'not supported' },
  { id: 'ex-e', question: 'Who owns it? [ex-e] <<answer:supported>>', passage: 'Bo owns it.', answer: 'Bo', label: 'supported', split: 'validation' },
];

export const TRAIN_IDS = ['ex-a', 'ex-b', 'ex-c', 'ex-d'] as const;

/** Import the dataset through the app's import pipeline; it becomes the current task. */
export async function importTinyDataset(studio: StudioPage): Promise<void> {
  const jsonl = rows.map((r) => JSON.stringify({ lang: 'en', split: 'train', ...r })).join('\n');
  await studio.api((api, text) => api.importDataset(text, 'tiny.jsonl'), jsonl);
}
