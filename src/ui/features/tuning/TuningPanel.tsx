import { ModelPanel } from '../model/ModelPanel.tsx';

/** The Tuning tab: the small model θ_τ and, as they arrive, the training set and the run, one section each. */
export function TuningPanel() {
  return (
    <section className="reasoning-panel" aria-labelledby="tuning-panel-heading">
      {/* The tab names the panel for sighted users; the heading keeps the sections' h3 under an h2, as on the other tabs. */}
      <h2 id="tuning-panel-heading" className="visually-hidden">
        Tuning
      </h2>
      <ModelPanel />
    </section>
  );
}
