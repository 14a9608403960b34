import { BridgeError, type DeepLinkPrompt } from '../bridge';
import type { Media } from './deps';

/** The one open "call this person?" prompt a link created (a newer link replaces it). */
export class DeepLinkPrompts {
  private prompt: DeepLinkPrompt | null = null;
  private counter = 0;

  open(username: string, scheme: DeepLinkPrompt['scheme'], media: Media): DeepLinkPrompt {
    this.counter += 1;
    this.prompt = { promptId: `link-${this.counter}`, username, scheme, media };
    return this.prompt;
  }

  get pending(): DeepLinkPrompt | null {
    return this.prompt;
  }

  /** Closes the prompt the user answered; an unknown or stale id is refused. */
  take(promptId: string): DeepLinkPrompt {
    const prompt = this.prompt;
    if (!prompt || prompt.promptId !== promptId) throw new BridgeError('NOT_FOUND', 'This call prompt is no longer open.');
    this.prompt = null;
    return prompt;
  }

  clear(): void {
    this.prompt = null;
  }
}
