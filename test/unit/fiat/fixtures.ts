import type { Exemplar } from '../../../src/fiat/exemplars/exemplars.ts';
import type { Example, TaskSpec } from '../../../src/fiat/task/task.ts';

/** Small task specs, examples and exemplars whose texts say where they came from (`q-x` is example x's question). */
export const classification: TaskSpec = { kind: 'classification', labels: [{ value: '1', verbalizer: 'supported' }, { value: '0', verbalizer: 'not supported' }] };
export const qa: TaskSpec = { kind: 'extractive-qa', noAnswer: 'no answer' };

export const example = (id: string, lang: string, over: Partial<Example> = {}): Example => ({
  id, lang, split: 'train', question: `q-${id}`, passage: `p-${id}`, answer: `a-${id}`, label: '1', ...over,
});

export const exemplar = (id: string, lang: string | null, exampleId: string | null = null): Exemplar => ({
  id, exampleId, lang, question: `eq-${id}`, passage: `ep-${id}`, answer: `ea-${id}`, reasoning: `because ${id}`, label: '0',
});
