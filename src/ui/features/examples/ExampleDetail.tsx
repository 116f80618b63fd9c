import { exemplarFromExample } from '../../../fiat/exemplars/exemplars.ts';
import { type Example, targetOf, type Task } from '../../../fiat/task/task.ts';
import { newId } from '../../lib/ids.ts';
import { useStudio } from '../../state/store.ts';
import { useTaskSetup } from '../../state/use-task-setup.ts';

/** The selected example's fields, its target output, and "use as exemplar". */
export function ExampleDetail({ task, example }: { task: Task; example: Example | undefined }) {
  const addExemplar = useStudio((s) => s.addExemplar);
  const isExemplar = useTaskSetup((t) => example !== undefined && t.exemplars.some((e) => e.exampleId === example.id));
  if (!example) return <p className="empty">Select an example to see what it turns into.</p>;
  return (
    // Focusable so that a keyboard can scroll a long passage (the button below may be disabled).
    <section className="example-detail" aria-label="Selected example" tabIndex={0}>
      <dl>
        <dt>Question</dt>
        <dd lang={example.lang} dir="auto">
          {example.question}
        </dd>
        {example.extra?.question_en && (
          <>
            <dt>Question (English)</dt>
            <dd dir="auto">{example.extra.question_en}</dd>
          </>
        )}
        {task.spec.kind === 'classification' && (
          <>
            <dt>Answer judged</dt>
            <dd dir="auto">{example.answer}</dd>
          </>
        )}
        <dt>Target output y</dt>
        <dd dir="auto">{targetOf(task.spec, example) ?? 'unknown label'}</dd>
        <dt>Passage</dt>
        <dd className="passage" dir="auto">
          {example.passage}
        </dd>
      </dl>
      <button type="button" disabled={isExemplar} onClick={() => addExemplar(exemplarFromExample(example, task.spec, newId('exemplar-')))}>
        {isExemplar ? 'Already an exemplar' : 'Use as exemplar'}
      </button>
    </section>
  );
}
