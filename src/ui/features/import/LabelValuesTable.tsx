import type { LabelValues } from '../../../fiat/dataset/labels.ts';
import type { Label } from '../../../fiat/task/task.ts';

/** What a label value found in the file counts as: a class of its own, another class, or its rows left out. */
type CountsAs = { kind: 'class' } | { kind: 'alias'; of: string } | { kind: 'left out' };

interface LabelValuesTableProps {
  column: string;
  found: LabelValues;
  labels: readonly Label[];
  aliases: Readonly<Record<string, string>>;
  onChange: (labels: Label[], aliases: Record<string, string>) => void;
}

const ALIAS = 'as:';

function countsAs(value: string, labels: readonly Label[], aliases: Readonly<Record<string, string>>): CountsAs {
  if (labels.some((l) => l.value === value)) return { kind: 'class' };
  const of = aliases[value];
  return of === undefined ? { kind: 'left out' } : { kind: 'alias', of };
}

/**
 * The classes of a classification task, as the user confirms them: every value found in the label
 * column with its row count, and what it counts as. A class gets a verbalizer; a value mapped to a
 * class takes that class; a value left out leaves its rows out, each reported at its line and field.
 */
export function LabelValuesTable({ column, found, labels, aliases, onChange }: LabelValuesTableProps) {
  const order = found.values.map((v) => v.value);
  const choose = (value: string, choice: string) => {
    const otherAliases = Object.fromEntries(Object.entries(aliases).filter(([from, to]) => from !== value && to !== value));
    const otherLabels = labels.filter((l) => l.value !== value);
    if (choice === 'class') {
      const labelsNow = [...otherLabels, { value, verbalizer: value }];
      labelsNow.sort((a, b) => order.indexOf(a.value) - order.indexOf(b.value));
      onChange(labelsNow, otherAliases);
    } else if (choice.startsWith(ALIAS)) {
      onChange(otherLabels, { ...otherAliases, [value]: choice.slice(ALIAS.length) });
    } else {
      onChange(otherLabels, otherAliases);
    }
  };
  const setVerbalizer = (value: string, verbalizer: string) =>
    onChange(labels.map((l) => (l.value === value ? { ...l, verbalizer } : l)), { ...aliases });

  return (
    <fieldset className="label-values">
      <legend>
        Labels: the values of column <code>{column}</code> and what each counts as
      </legend>
      {found.more && (
        <p role="alert">
          This column has more than {found.values.length} distinct values: it does not look like a label column. The first{' '}
          {found.values.length} are listed.
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">value</th>
            <th scope="col">rows</th>
            <th scope="col">counts as</th>
            <th scope="col">verbalizer (what the models write)</th>
          </tr>
        </thead>
        <tbody>
          {found.values.map(({ value, count }) => {
            const current = countsAs(value, labels, aliases);
            const label = labels.find((l) => l.value === value);
            return (
              <tr key={value}>
                <td>
                  <code>{value}</code>
                </td>
                <td>
                  {count.toLocaleString()} row{count === 1 ? '' : 's'}
                </td>
                <td>
                  <select
                    aria-label={`Label value ${value} counts as`}
                    value={current.kind === 'alias' ? ALIAS + current.of : current.kind}
                    onChange={(e) => choose(value, e.target.value)}
                  >
                    <option value="class">a class of its own</option>
                    {labels
                      .filter((l) => l.value !== value)
                      .map((l) => (
                        <option key={l.value} value={ALIAS + l.value}>
                          class {l.value}
                        </option>
                      ))}
                    <option value="left out">left out (each row reported)</option>
                  </select>
                </td>
                <td>
                  {label && (
                    <input
                      value={label.verbalizer}
                      aria-label={`Verbalizer for label ${value}`}
                      onChange={(e) => setVerbalizer(value, e.target.value)}
                    />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </fieldset>
  );
}
