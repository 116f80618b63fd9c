import type { StateCreator } from 'zustand';
import type { Exemplar } from '../../fiat/exemplars/exemplars.ts';
import { DEFAULT_FILTERS, type ExampleFilters, hasStarterInstructions, newProject, type Project, STARTER_INSTRUCTIONS } from '../../fiat/project/project.ts';
import type { ReasoningSettings } from '../../fiat/project/reasoning-settings.ts';
import type { AnswerPatternSettings } from '../../fiat/reasoning/answer-pattern.ts';
import type { TaskKind } from '../../fiat/task/task.ts';
import type { ProviderSettings } from '../../providers/settings.ts';
import type { InstructionRole } from '../../fiat/template/variables.ts';
import type { StudioState } from './store.ts';

/** The project document (what is saved and exported) and the actions that edit it. */
export interface ProjectSlice {
  project: Project;
  /** Choose a task. Selection and filters reset; starter instructions follow the task's kind, the
   * user's own instructions are kept. */
  setTask: (taskId: string, kind: TaskKind) => void;
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
  setReasoningOptions: (patch: Partial<Pick<ReasoningSettings, 'onlyAgreeing' | 'concurrency' | 'scope'>>) => void;
  /** Replace the whole project (load at start, project import). */
  replaceProject: (project: Project) => void;
}

export const createProjectSlice: StateCreator<StudioState, [], [], ProjectSlice> = (set) => {
  const update = (change: (p: Project) => Project) => set((s) => ({ project: change(s.project) }));
  return {
    project: newProject(),
    setTask: (taskId, kind) =>
      update((p) => {
        if (p.taskId === taskId) return p;
        const instructions = hasStarterInstructions(p) ? { ...STARTER_INSTRUCTIONS[kind] } : p.instructions;
        return { ...p, taskId, instructions, settings: { filters: { ...DEFAULT_FILTERS }, selectedExampleId: null } };
      }),
    setInstruction: (role, text) =>
      update((p) => (p.instructions[role] === text ? p : { ...p, instructions: { ...p.instructions, [role]: text } })),
    addExemplar: (exemplar) => update((p) => ({ ...p, exemplars: [...p.exemplars, exemplar] })),
    updateExemplar: (id, patch) =>
      update((p) => ({ ...p, exemplars: p.exemplars.map((e) => (e.id === id ? { ...e, ...patch } : e)) })),
    removeExemplar: (id) => update((p) => ({ ...p, exemplars: p.exemplars.filter((e) => e.id !== id) })),
    moveExemplar: (id, by) =>
      update((p) => {
        const from = p.exemplars.findIndex((e) => e.id === id);
        const to = from + by;
        if (from === -1 || to < 0 || to >= p.exemplars.length) return p;
        const exemplars = [...p.exemplars];
        const [moved] = exemplars.splice(from, 1);
        if (moved) exemplars.splice(to, 0, moved);
        return { ...p, exemplars };
      }),
    setFilters: (patch) =>
      update((p) => ({ ...p, settings: { ...p.settings, filters: { ...p.settings.filters, ...patch } } })),
    selectExample: (id) =>
      update((p) => (p.settings.selectedExampleId === id ? p : { ...p, settings: { ...p.settings, selectedExampleId: id } })),
    setProvider: (provider) => update((p) => ({ ...p, reasoning: { ...p.reasoning, provider } })),
    setAnswerPattern: (patch) =>
      update((p) => ({ ...p, reasoning: { ...p.reasoning, answerPattern: { ...p.reasoning.answerPattern, ...patch } } })),
    setReasoningOptions: (patch) => update((p) => ({ ...p, reasoning: { ...p.reasoning, ...patch } })),
    replaceProject: (project) => set({ project }),
  };
};
