import { INSTRUCTION_ROLES, misplacement, ROLE_NAMES, VARIABLES } from '../../../fiat/template/variables.ts';
import type { TaskKind } from '../../../fiat/task/task.ts';

/** The template syntax in brief, from the same catalogue the linter and completions use. */
export function TemplateHelp({ kind }: { kind: TaskKind }) {
  return (
    <details className="template-help">
      <summary>Template syntax</summary>
      <p>
        Variables are written <code>{'{{name}}'}</code>; type <code>{'{{'}</code> for suggestions, <code>{'\\{{'}</code> for literal
        braces.
      </p>
      <table aria-label="Template variables">
        <thead>
          <tr>
            <th scope="col">Variable</th>
            <th scope="col">Valid in (this task)</th>
            <th scope="col">Meaning</th>
          </tr>
        </thead>
        <tbody>
          {VARIABLES.map((v) => {
            const roles = INSTRUCTION_ROLES.filter((r) => misplacement(v.name, r, kind) === undefined).map((r) => ROLE_NAMES[r]);
            return (
              <tr key={v.name}>
                <th scope="row">
                  <code>{`{{${v.name}}}`}</code>
                </th>
                <td>{roles.length > 0 ? roles.join(', ') : 'neither'}</td>
                <td>{v.documentation}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </details>
  );
}
