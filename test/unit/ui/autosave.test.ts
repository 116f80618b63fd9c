import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newProject, setupOf, type Project } from '../../../src/fiat/project/project.ts';
import type { ProjectRepository } from '../../../src/fiat/storage/project-repository.ts';
import { type Autosave, startAutosave } from '../../../src/ui/state/autosave.ts';
import { studioStore } from '../../../src/ui/state/store.ts';

function fakeRepository(fail = false) {
  const saved: Project[] = [];
  const repository = {
    saveProject: (p: Project) => (fail ? Promise.reject(new Error('quota exceeded')) : (saved.push(p), Promise.resolve())),
  } as unknown as ProjectRepository;
  return { saved, repository };
}

let autosave: Autosave | undefined;
const page = new EventTarget();
beforeEach(() => {
  vi.useFakeTimers();
  studioStore.getState().replaceProject(newProject());
  studioStore.getState().setSave({ status: 'idle', error: null });
});
afterEach(() => {
  autosave?.stop();
  vi.useRealTimers();
});

describe('autosave', () => {
  it('saves once after a burst of edits (debounced), with the last state', async () => {
    const { saved, repository } = fakeRepository();
    autosave = startAutosave(studioStore, repository, 400, page);
    for (const text of ['a', 'ab', 'abc']) studioStore.getState().setInstruction('tau', text);
    expect(studioStore.getState().save.status).toBe('pending');
    await vi.advanceTimersByTimeAsync(399);
    expect(saved).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(saved.map((p) => setupOf(p).instructions.tau)).toEqual(['abc']);
    expect(studioStore.getState().save.status).toBe('saved');
  });

  it('flush saves at once; nothing to save means no write', async () => {
    const { saved, repository } = fakeRepository();
    autosave = startAutosave(studioStore, repository, 400, page);
    await autosave.flush();
    expect(saved).toHaveLength(0);
    studioStore.getState().setInstruction('beta', 'x');
    await autosave.flush();
    expect(saved).toHaveLength(1);
  });

  it('saves when the page is hidden', async () => {
    const { saved, repository } = fakeRepository();
    autosave = startAutosave(studioStore, repository, 400, page);
    studioStore.getState().setInstruction('beta', 'y');
    page.dispatchEvent(new Event('pagehide'));
    await vi.advanceTimersByTimeAsync(0);
    expect(saved).toHaveLength(1);
  });

  it('reports a failed save', async () => {
    const { repository } = fakeRepository(true);
    autosave = startAutosave(studioStore, repository, 400, page);
    studioStore.getState().setInstruction('beta', 'z');
    await autosave.flush();
    expect(studioStore.getState().save).toMatchObject({ status: 'failed', error: 'quota exceeded' });
  });
});
