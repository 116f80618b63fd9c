import { create } from 'zustand';
import { createProjectSlice, type ProjectSlice } from './project-slice.ts';
import { createSessionSlice, type SessionSlice } from './session-slice.ts';

/**
 * The studio's one store (zustand), in slices: the project document, and session state. Async
 * resources (task data, versions, imports) are react-query's, never copied here.
 */
export type StudioState = ProjectSlice & SessionSlice;

export const useStudio = create<StudioState>()((...a) => ({
  ...createProjectSlice(...a),
  ...createSessionSlice(...a),
}));

/** The store outside React (boot, autosave, test API). */
export const studioStore = useStudio;
