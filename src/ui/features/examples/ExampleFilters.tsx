import { type Split, labelChoices, type Task } from '../../../fiat/task/task.ts';
import { useStudio } from '../../state/store.ts';
import { taskIndex } from '../../state/task-index.ts';

/** Split, language and label filters and a search box over the task's examples. */
export function ExampleFilters({ task }: { task: Task }) {
  const filters = useStudio((s) => s.project.settings.filters);
  const setFilters = useStudio((s) => s.setFilters);
  const { languages, splits } = taskIndex(task.examples);
  return (
    <div className="filters" role="search" aria-label="Filter examples">
      <label>
        Split
        <select value={filters.split} onChange={(e) => setFilters({ split: e.target.value as Split | 'all' })}>
          <option value="all">all</option>
          {splits.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </label>
      <label>
        Language
        <select value={filters.lang} onChange={(e) => setFilters({ lang: e.target.value })}>
          <option value="all">all</option>
          {languages.map((l) => <option key={l} value={l}>{l}</option>)}
        </select>
      </label>
      <label>
        Label
        <select value={filters.label} onChange={(e) => setFilters({ label: e.target.value })}>
          <option value="all">all</option>
          {labelChoices(task.spec).map((c) => <option key={c.key} value={c.key}>{c.name}</option>)}
        </select>
      </label>
      <label className="search">
        Search examples
        <input type="search" value={filters.search} placeholder="words in question, passage, answer, id" onChange={(e) => setFilters({ search: e.target.value })} />
      </label>
    </div>
  );
}
