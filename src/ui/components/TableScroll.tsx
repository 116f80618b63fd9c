import type { ReactNode } from 'react';

/**
 * A wide table's horizontal scroller, reachable by keyboard: a scrollable region must take focus so that arrow keys
 * scroll it (WCAG 2.1.1; axe's scrollable-region-focusable), and a focusable region needs a name, given by `label`
 * (the table's caption, with ", scrolls sideways").
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={`${label}, scrolls sideways`} tabIndex={0}>
      {children}
    </div>
  );
}
