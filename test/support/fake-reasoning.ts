/**
 * In-process fakes for the reasoning batch tests: a provider whose faults are scripted per prompt
 * and that counts calls, completions and concurrency; and a clock whose sleeps take no real time.
 * (Tests that need real HTTP and SSE use openai-server.ts instead.)
 */
import { ProviderError } from '../../src/providers/errors.ts';
import type { ProviderDescription, ProviderEvent, ReasoningProvider, ReasoningRequest, StreamOptions } from '../../src/providers/types.ts';
import type { Clock } from '../../src/fiat/reasoning/retry.ts';

export function promptOf(request: ReasoningRequest): string {
  return request.messages.map((m) => m.content).join('\n');
}

export class FakeProvider implements ReasoningProvider {
  readonly id = 'fake';
  /** Prompt of every call, in call order. */
  readonly calls: string[] = [];
  /** Completed (done) responses per prompt. */
  readonly completions = new Map<string, number>();
  inFlight = 0;
  maxInFlight = 0;
  /** Per-prompt queue of errors to answer with before succeeding. */
  readonly faults = new Map<string, ProviderError[]>();
  /** Real milliseconds each call takes (kept tiny: it only lets calls overlap). */
  latencyMs = 2;

  constructor(private readonly endpoint = 'http://fake.test/v1', private readonly model = 'fake-model') {}

  describe(): ProviderDescription {
    return { kind: 'openai-compatible', label: 'fake', identity: { endpoint: this.endpoint, model: this.model } };
  }

  fail(prompt: string, ...errors: ProviderError[]): void {
    this.faults.set(prompt, [...(this.faults.get(prompt) ?? []), ...errors]);
  }

  completionsTotal(): number {
    return [...this.completions.values()].reduce((a, b) => a + b, 0);
  }

  async *stream(request: ReasoningRequest, options: StreamOptions = {}): AsyncGenerator<ProviderEvent> {
    const prompt = promptOf(request);
    this.calls.push(prompt);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const aborted = await wait(this.latencyMs, options.signal);
      if (aborted) {
        yield { type: 'error', error: new ProviderError('aborted', 'cancelled') };
        return;
      }
      const fault = this.faults.get(prompt)?.shift();
      if (fault) {
        yield { type: 'error', error: fault };
        return;
      }
      const text = `Thinking about: ${prompt}. So the answer is yes.`;
      yield { type: 'delta', part: 'content', text: text.slice(0, 10) };
      yield { type: 'delta', part: 'content', text: text.slice(10) };
      this.completions.set(prompt, (this.completions.get(prompt) ?? 0) + 1);
      yield { type: 'done', finishReason: 'stop', usage: { promptTokens: 10, completionTokens: 5, estimated: false } };
    } finally {
      this.inFlight -= 1;
    }
  }

  testConnection() {
    return Promise.resolve({ ok: true as const, latencyMs: 0, models: [this.model], modelListed: true });
  }
}

function wait(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * A clock whose sleep returns at once and records each requested delay. By default a sleep also
 * advances virtual time; with `advanceOnSleep: false` time stands still (to see who waits).
 */
export function fakeClock(start = 1_000_000, { advanceOnSleep = true } = {}): Clock & { sleeps: number[]; advance(ms: number): void } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    sleep: (ms: number) => {
      sleeps.push(ms);
      if (advanceOnSleep) now += ms;
      return Promise.resolve();
    },
  };
}
