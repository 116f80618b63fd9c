import type { Task } from '../../fiat/task/task.ts';
import { InstructionPanel } from '../features/editors/InstructionPanel.tsx';
import { TemplateHelp } from '../features/editors/TemplateHelp.tsx';
import { ExemplarsPanel } from '../features/exemplars/ExemplarsPanel.tsx';
import { ReasoningPanel } from '../features/reasoning/ReasoningPanel.tsx';
import { TuningPanel } from '../features/tuning/TuningPanel.tsx';
import { ExperimentsPanel } from '../features/experiments/ExperimentsPanel.tsx';
import { useStudio } from '../state/store.ts';
import { useTaskSetup } from '../state/use-task-setup.ts';

const TABS = [
  { id: 'instructions', label: 'Instructions' },
  { id: 'exemplars', label: 'Exemplars' },
  { id: 'reasoning', label: 'Reasoning' },
  { id: 'tuning', label: 'Tuning' },
  { id: 'experiments', label: 'Experiments' },
] as const;

/**
 * Middle pane: tabs for the two instruction editors, I_β's exemplars, and the large model's
 * reasoning (provider, answer pattern, batch, quality, cache), the small model's tuning, and the experiments comparing
 * FIAT with ICL, fine-tuning and the ablations. Editors stay mounted.
 */
export function MiddlePane({ task }: { task: Task }) {
  const tab = useStudio((s) => s.middleTab);
  const setTab = useStudio((s) => s.setMiddleTab);
  const exemplarCount = useTaskSetup((t) => t.exemplars.length);
  return (
    <>
      <div role="tablist" aria-label="Editors" className="tabs">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`tabpanel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => setTab(t.id)}
            onKeyDown={(e) => {
              const by = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
              const next = TABS[(TABS.findIndex((x) => x.id === tab) + by + TABS.length) % TABS.length];
              if (by !== 0 && next) setTab(next.id);
            }}
          >
            {t.id === 'exemplars' ? `${t.label} (${exemplarCount})` : t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="tabpanel-instructions" aria-labelledby="tab-instructions" hidden={tab !== 'instructions'} className="tabpanel editors">
        <TemplateHelp kind={task.spec.kind} />
        <InstructionPanel role="beta" kind={task.spec.kind} />
        <InstructionPanel role="tau" kind={task.spec.kind} />
      </div>
      <div role="tabpanel" id="tabpanel-exemplars" aria-labelledby="tab-exemplars" hidden={tab !== 'exemplars'} className="tabpanel">
        <ExemplarsPanel task={task} />
      </div>
      <div role="tabpanel" id="tabpanel-reasoning" aria-labelledby="tab-reasoning" hidden={tab !== 'reasoning'} className="tabpanel">
        {tab === 'reasoning' && <ReasoningPanel task={task} />}
      </div>
      <div role="tabpanel" id="tabpanel-tuning" aria-labelledby="tab-tuning" hidden={tab !== 'tuning'} className="tabpanel">
        {tab === 'tuning' && <TuningPanel task={task} />}
      </div>
      <div role="tabpanel" id="tabpanel-experiments" aria-labelledby="tab-experiments" hidden={tab !== 'experiments'} className="tabpanel">
        {tab === 'experiments' && <ExperimentsPanel task={task} />}
      </div>
    </>
  );
}
