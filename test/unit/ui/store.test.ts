import { beforeEach, describe, expect, it } from 'vitest';
import type { Exemplar } from '../../../src/fiat/exemplars/exemplars.ts';
import { newProject, STARTER_INSTRUCTIONS } from '../../../src/fiat/project/project.ts';
import { readStoredProject } from '../../../src/fiat/project/project-file.ts';
import { defaultProviderSettings } from '../../../src/providers/settings.ts';
import { studioStore } from '../../../src/ui/state/store.ts';

const exemplar = (id: string): Exemplar => ({ id, exampleId: null, lang: null, question: 'q', passage: 'p', answer: null, reasoning: '', label: '' });
const state = () => studioStore.getState();

beforeEach(() => state().replaceProject(newProject()));

describe('project slice', () => {
  it('switching task swaps starter instructions but keeps the user’s own', () => {
    state().setTask('sample:xor_tydi_rc', 'extractive-qa');
    expect(state().project.instructions).toEqual(STARTER_INSTRUCTIONS['extractive-qa']);
    state().setInstruction('tau', 'mine {{question}}');
    state().setTask('sample:xor_attriqa', 'classification');
    expect(state().project.instructions.tau).toBe('mine {{question}}');
  });

  it('switching task resets selection and filters', () => {
    state().selectExample('x');
    state().setFilters({ lang: 'ja', search: 'abc' });
    state().setTask('sample:xquad_xling', 'extractive-qa');
    expect(state().project.settings).toEqual({ filters: { split: 'all', lang: 'all', label: 'all', search: '' }, selectedExampleId: null });
  });

  it('leaves the project object alone when nothing changes (no needless autosave)', () => {
    const before = state().project;
    state().setInstruction('beta', before.instructions.beta);
    state().selectExample(null);
    state().setTask(before.taskId, 'classification');
    expect(state().project).toBe(before);
  });

  it('adds, edits, moves and removes exemplars', () => {
    state().addExemplar(exemplar('a'));
    state().addExemplar(exemplar('b'));
    state().updateExemplar('a', { reasoning: 'because' });
    state().moveExemplar('a', 1);
    expect(state().project.exemplars.map((e) => [e.id, e.reasoning])).toEqual([['b', ''], ['a', 'because']]);
    const before = state().project;
    state().moveExemplar('a', 1);
    expect(state().project).toBe(before);
    state().removeExemplar('b');
    expect(state().project.exemplars.map((e) => e.id)).toEqual(['a']);
  });
});

describe('reasoning settings in the project', () => {
  it('set provider, answer pattern and options; they survive a task switch and stay valid for storage', () => {
    const provider = defaultProviderSettings({ id: 'provider-1', baseUrl: 'http://127.0.0.1:8000/v1', model: 'm' });
    state().setProvider(provider);
    state().setAnswerPattern({ source: 'Answer: (' });
    state().setReasoningOptions({ onlyAgreeing: true, concurrency: 2, scope: 'validation' });
    state().setTask('sample:xor_tydi_rc', 'extractive-qa');
    const { reasoning } = state().project;
    expect(reasoning).toEqual({
      provider,
      answerPattern: { source: 'Answer: (', caseSensitive: false },
      onlyAgreeing: true,
      concurrency: 2,
      scope: 'validation',
    });
    // A pattern that does not compile is kept as typed (the field says why), and stored as it is.
    expect(readStoredProject(state().project)).toEqual({ ok: true, value: state().project });
    state().setProvider(null);
    expect(state().project.reasoning.provider).toBeNull();
  });
});

