import type { FinishedRun } from '../../../../fiat/experiments/queue.ts';
import { runLabel } from './result-cells.ts';

/** A finished run picked by its queue item id; `extra` options (an "every run" choice) come first. */
export function RunSelect({
  label,
  runs,
  value,
  onChange,
  extra = [],
}: {
  label: string;
  runs: readonly FinishedRun[];
  value: string;
  onChange: (id: string) => void;
  extra?: readonly { value: string; label: string }[];
}) {
  return (
    <label>
      {label}{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {extra.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
        {runs.map((r) => (
          <option key={r.item.id} value={r.item.id}>
            {runLabel(r)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** One of several result groups by its position (shown only when there are two or more to pick from). */
export function GroupSelect({ labels, index, onChange }: { labels: readonly string[]; index: number; onChange: (index: number) => void }) {
  if (labels.length < 2) return null;
  return (
    <label>
      Results of{' '}
      <select value={String(index)} onChange={(e) => onChange(Number(e.target.value))}>
        {labels.map((label, i) => (
          <option key={i} value={i}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
}
