import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useEffect, useRef } from 'react';
import type { AgreementStatus, ExampleAgreement } from '../../../fiat/reasoning/agreement.ts';
import { type Example, labelChoices, labelKeyOf, type TaskSpec } from '../../../fiat/task/task.ts';
import { useStudio } from '../../state/store.ts';

const ROW_HEIGHT = 58;

interface ExampleListProps {
  examples: readonly Example[];
  spec: TaskSpec;
  selectedId: string | null;
  /** Whether each example's reasoning agrees with gold; null when there is nothing to show. */
  agreements: ReadonlyMap<string, ExampleAgreement> | null;
}

const AGREEMENT_BADGE: Record<Exclude<AgreementStatus, 'missing'>, { text: string; title: string }> = {
  agrees: { text: '✓ agrees', title: "The reasoning's answer agrees with gold" },
  disagrees: { text: '✗ disagrees', title: "The reasoning's answer disagrees with gold" },
  unparsed: { text: '? unparsed', title: 'The answer pattern found no answer (or no label) in the reasoning' },
  truncated: { text: '… truncated', title: 'The generation stopped at max tokens or is empty: it is not used, and a batch generates it again' },
};

/**
 * The filtered examples as a listbox, each with a badge saying whether its reasoning agrees with gold (virtualised: only visible rows are in the DOM, so 10,000
 * examples scroll smoothly). Arrow keys, Home and End move the selection.
 */
export function ExampleList({ examples, spec, selectedId, agreements }: ExampleListProps) {
  const selectExample = useStudio((s) => s.selectExample);
  const scrollRef = useRef<HTMLDivElement>(null);
  // The studio does not use the React Compiler; the virtualizer re-renders this list on scroll by design.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: examples.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  const selectedIndex = examples.findIndex((e) => e.id === selectedId);
  const names = new Map(labelChoices(spec).map((c) => [c.key, c.name]));

  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const onKeyDown = (event: KeyboardEvent) => {
    const last = examples.length - 1;
    const moves: Record<string, number> = { ArrowDown: selectedIndex + 1, ArrowUp: selectedIndex - 1, Home: 0, End: last, PageDown: selectedIndex + 10, PageUp: selectedIndex - 10 };
    const target = moves[event.key];
    if (target === undefined || last < 0) return;
    event.preventDefault();
    const next = examples[Math.max(0, Math.min(last, target))];
    if (next) selectExample(next.id);
  };

  if (examples.length === 0) return <p className="empty">No example matches these filters.</p>;
  return (
    <div
      ref={scrollRef}
      className="example-list"
      role="listbox"
      aria-label="Examples"
      tabIndex={0}
      aria-activedescendant={selectedIndex >= 0 ? `example-option-${selectedIndex}` : undefined}
      onKeyDown={onKeyDown}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((row) => {
          const example = examples[row.index];
          if (!example) return null;
          const selected = example.id === selectedId;
          const agreement = agreements?.get(example.id)?.status;
          const badge = agreement && agreement !== 'missing' ? AGREEMENT_BADGE[agreement] : null;
          return (
            <div
              key={example.id}
              id={`example-option-${row.index}`}
              role="option"
              aria-selected={selected}
              className={selected ? 'example-row selected' : 'example-row'}
              style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${row.start}px)` }}
              onClick={() => selectExample(example.id)}
            >
              <span className="example-meta">
                <span className="tag">{example.lang}</span>
                <span className="tag">{example.split}</span>
                <span className="tag tag-label" dir="auto">
                  {names.get(labelKeyOf(spec, example)) ?? '—'}
                </span>
                {badge && (
                  <span className={`tag tag-${agreement ?? ''}`} title={badge.title}>
                    {badge.text}
                  </span>
                )}
                <span className="muted example-id">{example.id}</span>
              </span>
              {/* Its own direction: an Arabic question is cut at its end (the left), so its start stays visible. */}
              <span className="example-question" dir="auto" lang={example.lang}>
                {example.question}
              </span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
