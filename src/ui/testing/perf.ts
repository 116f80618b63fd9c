/**
 * Keystroke-to-preview timing for the preview benchmark (e2e builds only; bench/preview.ts reads it
 * through the test API). A keydown's timestamp is matched with the next preview commit.
 */
export interface PreviewTiming {
  /** ms from the keydown event to the preview's layout effect (React commit). */
  toCommit: number;
  /** ms from the keydown event to the next animation frame after the commit. */
  toFrame: number;
}

const timings: PreviewTiming[] = [];
let pendingKeydown: number | null = null;
let listening = false;

export function startKeystrokeProbe(): void {
  timings.length = 0;
  if (listening) return;
  listening = true;
  window.addEventListener('keydown', (event) => {
    pendingKeydown = event.timeStamp;
  }, { capture: true });
}

export function recordPreviewCommit(): void {
  if (pendingKeydown === null) return;
  const start = pendingKeydown;
  pendingKeydown = null;
  const toCommit = performance.now() - start;
  requestAnimationFrame(() => timings.push({ toCommit, toFrame: performance.now() - start }));
}

export function previewTimings(): PreviewTiming[] {
  return [...timings];
}
