import type { StateCreator } from 'zustand';
import type { ProjectFile } from '../../fiat/project/project-file.ts';
import type { InstructionRole } from '../../fiat/template/variables.ts';
import type { StudioState } from './store.ts';

export type SaveStatus = 'idle' | 'pending' | 'saving' | 'saved' | 'failed';

export type Dialog =
  | { kind: 'import-dataset' }
  | { kind: 'versions'; role: InstructionRole }
  /** Confirm replacing the project with a file already read and validated; `repaired`: its damaged tuning settings, defaulted. */
  | { kind: 'import-project'; fileName: string; file: ProjectFile; repaired: string[]; skipped: string[] }
  | { kind: 'delete-dataset'; taskId: string; name: string }
  /** The large model's profile: endpoint, model, key, parameters, test connection. */
  | { kind: 'provider' }
  /** Inspect and clear the reasoning cache. */
  | { kind: 'reasoning-cache' };

export interface Notice {
  tone: 'error' | 'info';
  message: string;
}

/** State of this browser session (not saved): loading, save status, open dialog, notices. */
export interface SessionSlice {
  /** 'loading' until the saved project has been read (or found missing). */
  phase: 'loading' | 'ready';
  save: { status: SaveStatus; savedAt: number | null; error: string | null };
  middleTab: 'instructions' | 'exemplars' | 'reasoning' | 'tuning' | 'experiments';
  dialog: Dialog | null;
  notice: Notice | null;
  setPhase: (phase: 'loading' | 'ready') => void;
  setSave: (save: Partial<SessionSlice['save']>) => void;
  setMiddleTab: (tab: SessionSlice['middleTab']) => void;
  openDialog: (dialog: Dialog) => void;
  closeDialog: () => void;
  notify: (notice: Notice | null) => void;
}

export const createSessionSlice: StateCreator<StudioState, [], [], SessionSlice> = (set) => ({
  phase: 'loading',
  save: { status: 'idle', savedAt: null, error: null },
  middleTab: 'instructions',
  dialog: null,
  notice: null,
  setPhase: (phase) => set({ phase }),
  setSave: (save) => set((s) => ({ save: { ...s.save, ...save } })),
  setMiddleTab: (middleTab) => set({ middleTab }),
  openDialog: (dialog) => set({ dialog }),
  closeDialog: () => set({ dialog: null }),
  notify: (notice) => set({ notice }),
});
