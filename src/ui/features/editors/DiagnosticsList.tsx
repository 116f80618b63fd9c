import type { TemplateDiagnostic } from '../../../fiat/template/lint.ts';

/** The instruction's problems as a list (the same as the editor's markers, readable without hover). */
export function DiagnosticsList({ diagnostics, label }: { diagnostics: readonly TemplateDiagnostic[]; label: string }) {
  if (diagnostics.length === 0) {
    return (
      <p className="diagnostics-empty" role="group" aria-label={label}>
        No problems.
      </p>
    );
  }
  return (
    <ul className="diagnostics" aria-label={label}>
      {diagnostics.map((d) => (
        <li key={`${d.code}-${d.start}`} className={`diagnostic diagnostic-${d.severity}`}>
          <span className="diagnostic-where">
            {d.severity} · line {d.startLine}, column {d.startColumn}
          </span>{' '}
          {d.message}
        </li>
      ))}
    </ul>
  );
}
