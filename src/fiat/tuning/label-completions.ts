import type { TaskSpec } from '../task/task.ts';
import { toChatPair, type ChatTemplating } from '../training-set/chat-format.ts';

/**
 * Classification: the completions scored for the labels, in the spec's order, as training formats them. With the chat
 * template a label's completion is what the template writes around its verbalizer after the prompt (chat-format.ts),
 * which does not depend on the prompt's text; `prompt` is any one of the set's. Undefined without a template (or for
 * QA): the verbalizers themselves are scored.
 */
export async function labelCompletionsFor(spec: TaskSpec, prompt: string | undefined, chat: ChatTemplating | null): Promise<string[] | undefined> {
  if (spec.kind !== 'classification' || !chat || prompt === undefined) return undefined;
  return Promise.all(spec.labels.map((l) => toChatPair({ prompt, completion: l.verbalizer }, chat).then((p) => p.completion)));
}
