import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** The impacts the suite refuses: axe's serious and critical. */
const REFUSED_IMPACTS = new Set(['serious', 'critical']);

/**
 * Rules refused whatever axe's impact or certainty, because issue 23 names them: axe reports an
 * `aria-label` on an element that may not carry one (a `<p>`, a `<span>`) only as "needs review"
 * when the element has text, and rates heading order moderate. target-size (WCAG 2.2 AA, 24x24 px
 * or enough space around) is off in axe by default.
 */
const ALWAYS_REFUSED = ['aria-prohibited-attr', 'heading-order', 'target-size'];

/**
 * Run axe-core (from node_modules, offline) over the page, or over `include` (a CSS selector, e.g.
 * the open dialog), and fail with each refused finding's rule, help and elements.
 */
export async function expectNoSeriousViolations(page: Page, what: string, include?: string): Promise<void> {
  let builder = new AxeBuilder({ page }).options({ rules: { 'target-size': { enabled: true } } });
  if (include !== undefined) builder = builder.include(include);
  const { violations, incomplete } = await builder.analyze();
  const refused = [...violations.filter((v) => REFUSED_IMPACTS.has(v.impact ?? '') || ALWAYS_REFUSED.includes(v.id)), ...incomplete.filter((v) => v.id === 'aria-prohibited-attr')]
    .map((v) => `${v.id} (${v.impact ?? '?'}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`);
  expect(refused, `axe on ${what}`).toEqual([]);
}
