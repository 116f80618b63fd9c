import { formatRowIssue, type RowIssue } from '../../../fiat/dataset/records.ts';

const SHOWN = 200;

/** Rows left out, "line N, field F: message", the first 200 listed. */
export function IssueList({ issues }: { issues: readonly RowIssue[] }) {
  if (issues.length === 0) return <p>Every row is valid.</p>;
  return (
    <div className="issues">
      <p>
        {issues.length.toLocaleString()} problem{issues.length === 1 ? '' : 's'} in the file; those rows are left out:
      </p>
      <ul aria-label="Rows left out">
        {issues.slice(0, SHOWN).map((issue, i) => (
          <li key={i}>{formatRowIssue(issue)}</li>
        ))}
      </ul>
      {issues.length > SHOWN && <p>…and {(issues.length - SHOWN).toLocaleString()} more.</p>}
    </div>
  );
}
