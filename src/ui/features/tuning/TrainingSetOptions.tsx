import { SEQUENCE_LENGTHS } from '../../../fiat/project/tuning-settings.ts';
import type { WithoutReasoning } from '../../../fiat/training-set/build.ts';
import { useSmallModelTokenizer } from '../../lib/small-model.ts';
import { useStudio } from '../../state/store.ts';
import { METHOD_OPTIONS, methodFromValue, methodOption } from './method-options.ts';
import { useTrainingSetChoices, useTrainingShapes } from './tuning-store.ts';

/**
 * What goes into the training set: the method (every input shape the engine trains, each with a line saying what its
 * input is), examples without reasoning (FIAT only: distilled CoT always leaves them out, the others read none),
 * only-agreeing (the methods that read the reasoning), the chat template and the sequence length. Saved per task.
 */
export function TrainingSetOptions() {
  const tokenizer = useSmallModelTokenizer();
  const { method, withoutReasoning, chatTemplate, set } = useTrainingSetChoices();
  const [{ seqLen }, setShapes] = useTrainingShapes();
  const onlyAgreeing = useStudio((s) => s.project.reasoning.onlyAgreeing);
  const setReasoningOptions = useStudio((s) => s.setReasoningOptions);
  const option = methodOption(method);
  return (
    <div className="training-options">
      <label className="field">
        Method
        <select value={method} aria-describedby="training-method-input" onChange={(e) => set({ method: methodFromValue(e.target.value, method) })}>
          {METHOD_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      <p id="training-method-input" className="panel-hint">
        {option.input}
      </p>
      <fieldset className="radio-group" disabled={method !== 'fiat'}>
        <legend>Examples without reasoning</legend>
        {(
          [
            ['leave-out', 'Leave them out'],
            ['train-without', 'Train them with an empty {{reasoning}}'],
          ] as const
        ).map(([value, label]) => (
          <label key={value} className="checkbox-line">
            <input type="radio" name="without-reasoning" value={value} checked={withoutReasoning === value} onChange={() => set({ withoutReasoning: value satisfies WithoutReasoning })} />
            {label}
          </label>
        ))}
      </fieldset>
      <label className="checkbox-line">
        <input type="checkbox" checked={onlyAgreeing} disabled={!option.readsReasoning} onChange={(e) => setReasoningOptions({ onlyAgreeing: e.target.checked })} />
        Only examples whose reasoning agrees with gold (the project’s option, also on the Reasoning tab)
      </label>
      <label className="checkbox-line">
        <input type="checkbox" checked={chatTemplate} disabled={!tokenizer?.chat} onChange={(e) => set({ chatTemplate: e.target.checked })} />
        Apply the model’s chat template (the prompt as a user turn, the answer as the assistant’s)
        {!tokenizer ? ' — load a small model to use it' : !tokenizer.chat ? ` — ${tokenizer.name} has none` : ''}
      </label>
      <label className="field">
        Sequence length (tokens)
        <select value={seqLen} onChange={(e) => setShapes({ seqLen: SEQUENCE_LENGTHS.find((n) => n === Number(e.target.value)) ?? seqLen })}>
          {SEQUENCE_LENGTHS.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <p className="panel-hint">These choices are saved with the project, for this task. The prompt is what the method’s line above says (the preview shows FIAT’s I_τ input); the loss is on the completion only.</p>
    </div>
  );
}
