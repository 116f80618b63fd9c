import { newProject } from '../../fiat/project/project.ts';
import { repairSummary } from '../../fiat/project/tuning-repair.ts';
import { type Autosave, startAutosave } from '../state/autosave.ts';
import { studioStore } from '../state/store.ts';
import { repository } from '../lib/repository.ts';

let autosave: Autosave | undefined;
let booting: Promise<void> | undefined;

/**
 * Load the saved project into the store, then start autosave. Runs once per page. An unreadable
 * saved project is kept aside (not overwritten) and the studio starts fresh, saying so.
 */
export function bootStudio(): Promise<void> {
  booting ??= (async () => {
    const store = studioStore.getState();
    try {
      const loaded = await repository.loadProject();
      if (loaded.status === 'loaded') {
        store.replaceProject(loaded.project);
        if (loaded.repaired) store.notify({ tone: 'error', message: repairSummary('saved project', loaded.repaired) });
      } else {
        store.replaceProject(newProject());
        if (loaded.status === 'unreadable') {
          store.notify({ tone: 'error', message: `${loaded.message} It was kept aside in the browser's storage; the studio started a new project.` });
        }
      }
    } catch (error) {
      store.notify({
        tone: 'error',
        message: `The saved project could not be loaded (${error instanceof Error ? error.message : String(error)}); changes will not be saved.`,
      });
      store.setPhase('ready');
      return;
    }
    store.setPhase('ready');
    autosave = startAutosave(studioStore, repository);
  })();
  return booting;
}

/** Save pending changes now (test API, before export). */
export async function flushSave(): Promise<void> {
  await booting;
  await autosave?.flush();
}
