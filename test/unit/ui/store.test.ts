import { beforeEach, describe, expect, it } from 'vitest';
import type { Exemplar } from '../../../src/fiat/exemplars/exemplars.ts';
import { newProject, setupOf } from '../../../src/fiat/project/project.ts';
import { STARTER_INSTRUCTIONS } from '../../../src/fiat/project/task-setup.ts';
import { defaultTuningSettings } from '../../../src/fiat/project/tuning-settings.ts';
import { DEFAULT_ANSWER_PATTERN_SETTINGS } from '../../../src/fiat/reasoning/answer-pattern.ts';
import { readStoredProject } from '../../../src/fiat/project/project-file.ts';
import { defaultProviderSettings } from '../../../src/providers/settings.ts';
import { studioStore } from '../../../src/ui/state/store.ts';

const exemplar = (id: string): Exemplar => ({ id, exampleId: null, lang: null, question: 'q', passage: 'p', answer: null, reasoning: '', label: '' });
const state = () => studioStore.getState();
const setup = () => setupOf(state().project);

beforeEach(() => state().replaceProject(newProject()));

describe('project slice', () => {
  it('each task keeps its own instructions, exemplars and answer reading; a new task starts from its kind’s starters', () => {
    state().setInstruction('beta', 'attribution {{question}}');
    state().addExemplar(exemplar('a'));
    state().setAnswerPattern({ source: 'Label: (.+)' });
    state().setTask('sample:xor_tydi_rc', 'extractive-qa');
    expect(setup().instructions).toEqual(STARTER_INSTRUCTIONS['extractive-qa']);
    expect(setup().exemplars).toEqual([]);
    expect(setup().answerPattern).toEqual(DEFAULT_ANSWER_PATTERN_SETTINGS);
    expect(setup().answerSynonyms).toEqual({});
    state().setInstruction('tau', 'qa {{question}}');

    state().setTask('sample:xor_attriqa', 'classification');
    expect(setup().instructions.beta).toBe('attribution {{question}}');
    expect(setup().exemplars.map((e) => e.id)).toEqual(['a']);
    expect(setup().answerPattern.source).toBe('Label: (.+)');
    expect(setup().answerSynonyms['1']).toContain('yes');
    state().setTask('sample:xor_tydi_rc', 'extractive-qa');
    expect(setup().instructions.tau).toBe('qa {{question}}');
    expect(readStoredProject(state().project)).toEqual({ ok: true, value: state().project });
  });

  it('each task keeps its own Tuning tab choices, patched by group, and they are what is saved', () => {
    state().setTuning('trainingSet', { method: 'fine-tune' });
    state().setTuning('run', { steps: 7, lr: 1e-3 });
    state().setTuning('shapes', { seqLen: 256 });
    state().setTuningModel({ kind: 'preset', presetId: 'smollm2-135m', endpoint: 'https://huggingface.co' });
    const first = setup().tuning;
    expect(first.trainingSet).toEqual({ ...defaultTuningSettings().trainingSet, method: 'fine-tune' });
    expect(first.run).toMatchObject({ steps: 7, lr: 1e-3, warmupSteps: defaultTuningSettings().run.warmupSteps });
    expect(first.shapes).toMatchObject({ seqLen: 256, batchSize: defaultTuningSettings().shapes.batchSize });
    state().setTask('sample:xor_tydi_rc', 'extractive-qa');
    expect(setup().tuning).toEqual(defaultTuningSettings());
    state().setTask('sample:xor_attriqa', 'classification');
    expect(setup().tuning).toBe(first);
    expect(readStoredProject(state().project)).toEqual({ ok: true, value: state().project });
  });

  it('sets a label’s answer synonyms for the chosen task only', () => {
    state().setAnswerSynonyms('1', ['yes', 'sure']);
    expect(setup().answerSynonyms['1']).toEqual(['yes', 'sure']);
    state().setTask('imported:x', 'classification');
    expect(setup().answerSynonyms).toEqual({});
  });

  it('switching task resets selection and filters', () => {
    state().selectExample('x');
    state().setFilters({ lang: 'ja', search: 'abc' });
    state().setTask('sample:xquad_xling', 'extractive-qa');
    expect(state().project.settings).toEqual({ filters: { split: 'all', lang: 'all', label: 'all', search: '' }, selectedExampleId: null });
  });

  it('leaves the project object alone when nothing changes (no needless autosave)', () => {
    const before = state().project;
    state().setInstruction('beta', setupOf(before).instructions.beta);
    state().selectExample(null);
    state().setTask(before.taskId, 'classification');
    expect(state().project).toBe(before);
  });

  it('adds, edits, moves and removes exemplars', () => {
    state().addExemplar(exemplar('a'));
    state().addExemplar(exemplar('b'));
    state().updateExemplar('a', { reasoning: 'because' });
    state().moveExemplar('a', 1);
    expect(setup().exemplars.map((e) => [e.id, e.reasoning])).toEqual([['b', ''], ['a', 'because']]);
    const before = state().project;
    state().moveExemplar('a', 1);
    expect(state().project).toBe(before);
    state().removeExemplar('b');
    expect(setup().exemplars.map((e) => e.id)).toEqual(['a']);
  });
});

describe('reasoning settings in the project', () => {
  it('set provider, answer pattern and options; the project-wide ones survive a task switch; all stay valid for storage', () => {
    const provider = defaultProviderSettings({ id: 'provider-1', baseUrl: 'http://127.0.0.1:8000/v1', model: 'm' });
    state().setProvider(provider);
    state().setAnswerPattern({ source: 'Answer: (' });
    state().setReasoningOptions({ onlyAgreeing: true, concurrency: 2, scope: 'validation' });
    expect(setup().answerPattern).toEqual({ source: 'Answer: (', caseSensitive: false });
    state().setTask('sample:xor_tydi_rc', 'extractive-qa');
    const { reasoning } = state().project;
    expect(reasoning).toEqual({
      provider,
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

