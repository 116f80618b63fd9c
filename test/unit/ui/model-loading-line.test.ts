import { describe, expect, it } from 'vitest';
import { modelLoadingLine } from '../../../src/ui/features/reasoning/format.ts';

describe('modelLoadingLine', () => {
  it('names the model, then how far the load is, from the network or the browser’s cache', () => {
    expect(modelLoadingLine({ status: 'loading', model: 'fiat-studio/demo@f45af77773da', progress: null })).toBe('Loading the model fiat-studio/demo@f45af77773da…');
    const progress = { phase: 'download' as const, file: 'model.safetensors', loadedBytes: 3 * 1024 * 1024, totalBytes: 724 * 1024 * 1024, fromCache: false };
    expect(modelLoadingLine({ status: 'loading', model: 'a/b@main', progress })).toBe('Loading the model a/b@main… 3.0 MiB of 724.0 MiB (model.safetensors)');
    expect(modelLoadingLine({ status: 'loading', model: 'a/b@main', progress: { ...progress, totalBytes: null, fromCache: true } })).toBe(
      'Loading the model a/b@main… 3.0 MiB (model.safetensors, from this browser’s cache)',
    );
  });
});
