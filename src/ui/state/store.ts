import { create } from 'zustand';
import { createProjectSlice, type ProjectSlice } from './project-slice.ts';
import { createSessionSlice, type SessionSlice } from './session-slice.ts';

/**
 * The studio's store (zustand), in slices: the project document and session state. A feature's own
 * state lives with the feature (the reasoning batch: features/reasoning/batch-store.ts). Async
 * resources (task data, versions, imports, the reasoning cache) are react-query's, never copied here.
 */
export type StudioState = ProjectSlice & SessionSlice;

export const useStudio = create<StudioState>()((...a) => ({
  ...createProjectSlice(...a),
  ...createSessionSlice(...a),
}));

/** The store outside React (boot, autosave, test API). */
export const studioStore = useStudio;
