import type { StateCreator } from 'zustand';
import type { Exemplar } from '../../fiat/exemplars/exemplars.ts';
import { chooseTask, DEFAULT_FILTERS, type ExampleFilters, newProject, type Project, updateSetup } from '../../fiat/project/project.ts';
import type { TaskSetup } from '../../fiat/project/task-setup.ts';
import type { SavedModel, TuningSettings } from '../../fiat/project/tuning-settings.ts';
import type { ReasoningSettings } from '../../fiat/project/reasoning-settings.ts';
import type { AnswerPatternSettings } from '../../fiat/reasoning/answer-pattern.ts';
import type { TaskKind } from '../../fiat/task/task.ts';
import type { ProviderSettings } from '../../providers/settings.ts';
import type { InstructionRole } from '../../fiat/template/variables.ts';
import type { StudioState } from './store.ts';

/** The project document (what is saved and exported) and the actions that edit it. */
export interface ProjectSlice {
  project: Project;
  /** Choose a task. Selection and filters reset; the task's own setup (instructions, exemplars, answer
   * reading) comes back, or its kind's starters when it is chosen for the first time. */
  setTask: (taskId: string, kind: TaskKind) => void;
  /* Instructions, exemplars, answer pattern and synonyms: of the chosen task. */
  setInstruction: (role: InstructionRole, text: string) => void;
  addExemplar: (exemplar: Exemplar) => void;
  updateExemplar: (id: string, patch: Partial<Omit<Exemplar, 'id'>>) => void;
  removeExemplar: (id: string) => void;
  /** Move an exemplar up (-1) or down (+1) in the few-shot order. */
  moveExemplar: (id: string, by: -1 | 1) => void;
  setFilters: (patch: Partial<ExampleFilters>) => void;
  selectExample: (id: string | null) => void;
  /** The large model's profile (never its key: that goes to the secret store); null removes it. */
  setProvider: (provider: ProviderSettings | null) => void;
  setAnswerPattern: (patch: Partial<AnswerPatternSettings>) => void;
  /** The words (besides its verbalizer) that read as a label; checked by the caller (parseSynonyms). */
  setAnswerSynonyms: (label: string, words: string[]) => void;
  setReasoningOptions: (patch: Partial<Pick<ReasoningSettings, 'onlyAgreeing' | 'concurrency' | 'scope'>>) => void;
  /** The chosen task's Tuning tab choices, one group (training set, run, shapes) patched; values as the form checked them. */
  setTuning: <K extends 'trainingSet' | 'run' | 'shapes'>(group: K, patch: Partial<TuningSettings[K]>) => void;
  /** The small model the chosen task's model panel offers (what is loaded is the engine's, not the project's). */
  setTuningModel: (model: SavedModel) => void;
  /** Replace the whole project (load at start, project import). */
  replaceProject: (project: Project) => void;
}

export const createProjectSlice: StateCreator<StudioState, [], [], ProjectSlice> = (set) => {
  const update = (change: (p: Project) => Project) => set((s) => ({ project: change(s.project) }));
  const updateTask = (change: (setup: TaskSetup) => TaskSetup) => update((p) => updateSetup(p, change));
  return {
    project: newProject(),
    setTask: (taskId, kind) =>
      update((p) =>
        p.taskId === taskId ? p : { ...chooseTask(p, taskId, kind), settings: { filters: { ...DEFAULT_FILTERS }, selectedExampleId: null } },
      ),
    setInstruction: (role, text) =>
      updateTask((t) => (t.instructions[role] === text ? t : { ...t, instructions: { ...t.instructions, [role]: text } })),
    addExemplar: (exemplar) => updateTask((t) => ({ ...t, exemplars: [...t.exemplars, exemplar] })),
    updateExemplar: (id, patch) =>
      updateTask((t) => ({ ...t, exemplars: t.exemplars.map((e) => (e.id === id ? { ...e, ...patch } : e)) })),
    removeExemplar: (id) => updateTask((t) => ({ ...t, exemplars: t.exemplars.filter((e) => e.id !== id) })),
    moveExemplar: (id, by) =>
      updateTask((t) => {
        const from = t.exemplars.findIndex((e) => e.id === id);
        const to = from + by;
        if (from === -1 || to < 0 || to >= t.exemplars.length) return t;
        const exemplars = [...t.exemplars];
        const [moved] = exemplars.splice(from, 1);
        if (moved) exemplars.splice(to, 0, moved);
        return { ...t, exemplars };
      }),
    setFilters: (patch) =>
      update((p) => ({ ...p, settings: { ...p.settings, filters: { ...p.settings.filters, ...patch } } })),
    selectExample: (id) =>
      update((p) => (p.settings.selectedExampleId === id ? p : { ...p, settings: { ...p.settings, selectedExampleId: id } })),
    setProvider: (provider) => update((p) => ({ ...p, reasoning: { ...p.reasoning, provider } })),
    setAnswerPattern: (patch) => updateTask((t) => ({ ...t, answerPattern: { ...t.answerPattern, ...patch } })),
    setAnswerSynonyms: (label, words) => updateTask((t) => ({ ...t, answerSynonyms: { ...t.answerSynonyms, [label]: words } })),
    setReasoningOptions: (patch) => update((p) => ({ ...p, reasoning: { ...p.reasoning, ...patch } })),
    setTuning: (group, patch) => updateTask((t) => ({ ...t, tuning: { ...t.tuning, [group]: { ...t.tuning[group], ...patch } } })),
    setTuningModel: (model) => updateTask((t) => ({ ...t, tuning: { ...t.tuning, model } })),
    replaceProject: (project) => set({ project }),
  };
};
