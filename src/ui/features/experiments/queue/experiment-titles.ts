import type { Experiment } from '../../../../fiat/experiments/queue.ts';

/** The picker's order: newest first (ties by id, so the order is stable). */
export function newestFirst(experiments: readonly Experiment[]): Experiment[] {
  return [...experiments].sort((a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id));
}

/**
 * Each experiment's title, unique in the list, by id: its name ("experiment" when unnamed), with " (2)", " (3)" for
 * later ones of the same name. Counted oldest first, so adding an experiment never renames an older one (a title is
 * what the picker's buttons are named by, and e2e finds them by it).
 */
export function experimentTitles(experiments: readonly Experiment[]): Map<string, string> {
  const titles = new Map<string, string>();
  const used = new Set<string>();
  for (const experiment of [...newestFirst(experiments)].reverse()) {
    const base = experiment.name.trim() || 'experiment';
    let title = base;
    for (let n = 2; used.has(title); n++) title = `${base} (${n})`;
    used.add(title);
    titles.set(experiment.id, title);
  }
  return titles;
}
