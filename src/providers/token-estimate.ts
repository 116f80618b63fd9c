import type { ChatMessage, TokenUsage } from './types.ts';

const encoder = new TextEncoder();

/**
 * A rough token count for when a server sends no usage: UTF-8 bytes / 4. About right for English
 * with BPE tokenizers (~4 characters a token) and less wrong than characters / 4 for the scripts
 * of the sample tasks (Bengali, Telugu, Japanese), whose characters take 3 bytes and tokenize into
 * more tokens per character. Results using it are marked `estimated`.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(encoder.encode(text).length / 4);
}

/** A prompt's tokens: its messages' text, and a few tokens per message that chat templates add for the role markers. */
export function estimatePromptTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce((sum, m) => sum + estimateTokens(m.content) + 4, 0);
}

export function estimateUsage(messages: readonly ChatMessage[], completion: string): TokenUsage {
  return { promptTokens: estimatePromptTokens(messages), completionTokens: estimateTokens(completion), estimated: true };
}
