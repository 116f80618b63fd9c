import { create } from 'zustand';
import { createBatchSlice, type BatchSlice } from './batch-slice.ts';
import { createProjectSlice, type ProjectSlice } from './project-slice.ts';
import { createSessionSlice, type SessionSlice } from './session-slice.ts';

/**
 * The studio's one store (zustand), in slices: the project document, session state, and the
 * reasoning batch of this session. Async resources (task data, versions, imports, the reasoning
 * cache) are react-query's, never copied here.
 */
export type StudioState = ProjectSlice & SessionSlice & BatchSlice;

export const useStudio = create<StudioState>()((...a) => ({
  ...createProjectSlice(...a),
  ...createSessionSlice(...a),
  ...createBatchSlice(...a),
}));

/** The store outside React (boot, autosave, test API). */
export const studioStore = useStudio;
