import { ProjectMenu } from '../features/project/ProjectMenu.tsx';
import { TaskPicker } from '../features/tasks/TaskPicker.tsx';
import { SaveStatus } from './SaveStatus.tsx';

export function Header() {
  return (
    <header className="studio-header">
      <h1>
        fiat-studio <span className="subtitle">I_β and I_τ for FIAT</span>
      </h1>
      <TaskPicker />
      <ProjectMenu />
      <SaveStatus />
    </header>
  );
}
