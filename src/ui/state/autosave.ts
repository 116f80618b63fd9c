import type { Project } from '../../fiat/project/project.ts';
import type { ProjectRepository } from '../../fiat/storage/project-repository.ts';
import type { studioStore as Store } from './store.ts';

export interface Autosave {
  /** Save now if there are unsaved changes; resolves when everything is saved. */
  flush(): Promise<void>;
  stop(): void;
}

/**
 * Save the project to IndexedDB a short while after each change (debounced: typing does not write
 * on every key), and at once when the page is hidden. Save status goes to the session slice.
 */
export function startAutosave(
  store: typeof Store,
  repository: ProjectRepository,
  delayMs = 400,
  page: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> = window,
): Autosave {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let saved: Project = store.getState().project;
  let inFlight: Promise<void> = Promise.resolve();

  const save = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    inFlight = inFlight.then(async () => {
      const project = store.getState().project;
      if (project === saved) return;
      store.getState().setSave({ status: 'saving' });
      try {
        await repository.saveProject(project);
        saved = project;
        const dirty = store.getState().project !== saved;
        store.getState().setSave({ status: dirty ? 'pending' : 'saved', savedAt: Date.now(), error: null });
      } catch (error) {
        store.getState().setSave({ status: 'failed', error: error instanceof Error ? error.message : String(error) });
      }
    });
    return inFlight;
  };

  const unsubscribe = store.subscribe((state, previous) => {
    if (state.project === previous.project) return;
    if (state.save.status !== 'pending') state.setSave({ status: 'pending' });
    clearTimeout(timer);
    timer = setTimeout(() => void save(), delayMs);
  });
  const onHide = () => void save();
  page.addEventListener('pagehide', onHide);

  return {
    flush: save,
    stop: () => {
      unsubscribe();
      clearTimeout(timer);
      page.removeEventListener('pagehide', onHide);
    },
  };
}
