import { useStudio } from '../state/store.ts';
import { useCurrentTask } from '../features/tasks/queries.ts';
import { TaskAttribution } from '../features/tasks/TaskAttribution.tsx';
import { ExampleBrowser } from '../features/examples/ExampleBrowser.tsx';
import { PreviewPane } from '../features/preview/PreviewPane.tsx';
import { Dialogs } from './Dialogs.tsx';
import { Header } from './Header.tsx';
import { MiddlePane } from './MiddlePane.tsx';
import { NoticeBar } from './NoticeBar.tsx';

/** The studio: header, three panes (task and examples | instructions | preview), attribution footer. */
export function Studio() {
  const phase = useStudio((s) => s.phase);
  const task = useCurrentTask();
  return (
    <div className="studio">
      <Header />
      <NoticeBar />
      {phase === 'loading' ? (
        <main className="studio-main studio-loading" aria-busy="true">
          <p role="status">Loading your project…</p>
        </main>
      ) : task.isError ? (
        <main className="studio-main studio-loading">
          <p role="alert">
            The task could not be loaded: {task.error.message} Choose another task above.
          </p>
        </main>
      ) : !task.data ? (
        <main className="studio-main studio-loading" aria-busy="true">
          <p role="status">Loading the task’s examples…</p>
        </main>
      ) : (
        <main className={task.isPlaceholderData ? 'studio-main switching' : 'studio-main'} aria-busy={task.isPlaceholderData}>
          <div className="pane pane-left">
            {task.isPlaceholderData && <p role="status" className="switching-status">Loading the task’s examples…</p>}
            <ExampleBrowser task={task.data} switching={task.isPlaceholderData} />
          </div>
          <div className="pane pane-middle">
            <MiddlePane task={task.data} />
          </div>
          <section className="pane pane-right" aria-label="Preview">
            <PreviewPane task={task.data} />
          </section>
        </main>
      )}
      <TaskAttribution task={task.data} />
      <Dialogs />
    </div>
  );
}
