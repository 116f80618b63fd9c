import { EngineError } from '../errors.ts';

export interface TextStreamOptions {
  /** The tokenizer's decode with special tokens skipped (the caller's function does that). */
  readonly decode: (ids: readonly number[]) => string;
  /** Stop strings: the text ends before the first one that appears. Each non-empty. */
  readonly stop?: readonly string[];
}

/**
 * Generated ids as they come, turned into text that is final: it will not change when more ids come. Joined,
 * what `push` and `finish` return is `text`, which equals decode(all ids) cut before the first stop string, for a
 * decoder where a suffix decoded with a few tokens before it decodes as it does in the whole (byte-level BPE,
 * SentencePiece's metaspace).
 *
 * Decoding is incremental, as text-generation-inference and vLLM do it: each push decodes only the ids since a
 * prefix offset (the ids of the last push that made text, kept as context so a decoder that strips a leading space
 * strips it alike in both decodes) and takes what the new decode adds to the prefix's; so the work stays linear in
 * the ids. Held back until more ids come or `finish`:
 *  - text that ends in U+FFFD: an incomplete UTF-8 character (byte-level BPE splits characters across tokens);
 *    the run of ids held this way is as long as the incomplete character, a few ids;
 *  - the longest end of the text that is the start of a stop string.
 * Stop strings are searched in the held text plus the new text only: text given out never ends with the start of
 * one, so no stop string can begin in it.
 */
export class TextStream {
  private readonly decode: (ids: readonly number[]) => string;
  private readonly stops: readonly string[];
  private readonly ids: number[] = [];
  /** ids[prefixOffset, readOffset) is the context of the next decode; ids from readOffset on are not yet text. */
  private prefixOffset = 0;
  private readOffset = 0;
  /** Decoded text not given out because it may start a stop string. */
  private held = '';
  private finished = false;
  private final = '';
  private stoppedAt = false;

  constructor(options: TextStreamOptions) {
    this.decode = options.decode;
    this.stops = options.stop ?? [];
    const empty = this.stops.findIndex((s) => s.length === 0);
    if (empty >= 0) throw new EngineError('usage', `stop string ${empty + 1} is empty: each stop string needs text`);
  }

  /** All text given out so far (by push and finish). */
  get text(): string {
    return this.final;
  }

  /** True once a stop string appeared: `text` ends before it, and nothing more comes. */
  get stopped(): boolean {
    return this.stoppedAt;
  }

  /** Adds one generated id; returns the text that became final with it (often ''). */
  push(id: number): string {
    if (this.stoppedAt) throw new EngineError('internal', 'TextStream: push after a stop string appeared');
    if (this.finished) throw new EngineError('internal', 'TextStream: push after finish');
    this.ids.push(id);
    const prefix = this.decode(this.ids.slice(this.prefixOffset, this.readOffset));
    const whole = this.decode(this.ids.slice(this.prefixOffset));
    if (whole.length <= prefix.length || whole.endsWith('\uFFFD')) return '';
    this.prefixOffset = this.readOffset;
    this.readOffset = this.ids.length;
    return this.release(whole.slice(prefix.length), false);
  }

  /** No more ids: gives out everything held (an incomplete character as U+FFFD), cut before a stop string. */
  finish(): string {
    if (this.finished || this.stoppedAt) {
      this.finished = true;
      return '';
    }
    this.finished = true;
    const prefix = this.decode(this.ids.slice(this.prefixOffset, this.readOffset));
    const whole = this.decode(this.ids.slice(this.prefixOffset));
    return this.release(whole.length > prefix.length ? whole.slice(prefix.length) : '', true);
  }

  /** New decoded text: cut at a stop string, or given out but for a possible stop string's start (none at the end). */
  private release(added: string, last: boolean): string {
    const pending = this.held + added;
    const at = this.firstStop(pending);
    if (at >= 0) {
      this.stoppedAt = true;
      this.held = '';
      return this.giveOut(pending.slice(0, at));
    }
    const keep = last ? 0 : this.stopStartLength(pending);
    this.held = pending.slice(pending.length - keep);
    return this.giveOut(pending.slice(0, pending.length - keep));
  }

  private giveOut(text: string): string {
    this.final += text;
    return text;
  }

  /** Where the earliest stop string begins in `text`, or -1. */
  private firstStop(text: string): number {
    let first = -1;
    for (const stop of this.stops) {
      const at = text.indexOf(stop);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    }
    return first;
  }

  /** The length of the longest end of `text` that is a proper start of a stop string. */
  private stopStartLength(text: string): number {
    let longest = 0;
    for (const stop of this.stops) {
      for (let k = Math.min(stop.length - 1, text.length); k > longest; k--) {
        if (text.endsWith(stop.slice(0, k))) {
          longest = k;
          break;
        }
      }
    }
    return longest;
  }
}
