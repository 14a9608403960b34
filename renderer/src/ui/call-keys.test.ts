import { describe, expect, it } from 'vitest';
import { CALL_KEYS, matchesCallKey, type CallKeyAction } from './call-keys';

const press = (code: string, key: string, mods: { alt?: boolean; ctrl?: boolean; meta?: boolean; shift?: boolean } = {}) => ({
  code,
  key,
  altKey: mods.alt ?? false,
  ctrlKey: mods.ctrl ?? false,
  metaKey: mods.meta ?? false,
  shiftKey: mods.shift ?? false,
});
const actionsOf = (event: ReturnType<typeof press>) => (Object.keys(CALL_KEYS) as CallKeyAction[]).filter((action) => matchesCallKey(action, event));

describe('the call screen keys', () => {
  it('matches letters by their place on the keyboard (macOS Option characters, other layouts)', () => {
    expect(actionsOf(press('KeyS', 'ß', { alt: true }))).toEqual(['swap']);
    expect(actionsOf(press('KeyC', 'ç', { alt: true }))).toEqual(['consult']);
    expect(actionsOf(press('KeyB', 'b', { alt: true }))).toEqual(['blind']);
    expect(actionsOf(press('KeyM', 'm', { alt: true }))).toEqual(['merge']);
  });

  it('needs exactly its modifiers: typing a letter, or Alt+Shift, does nothing', () => {
    expect(actionsOf(press('KeyS', 's'))).toEqual([]);
    expect(actionsOf(press('KeyS', 'S', { alt: true, shift: true }))).toEqual([]);
    expect(actionsOf(press('KeyS', 's', { alt: true, ctrl: true }))).toEqual([]);
  });

  it('finishes with Control+Enter or Command+Enter (main or keypad Enter): complete in a call, Done in a wrap-up', () => {
    expect(actionsOf(press('Enter', 'Enter', { ctrl: true }))).toEqual(['complete', 'wrapUpDone']);
    expect(actionsOf(press('NumpadEnter', 'Enter', { meta: true }))).toEqual(['complete', 'wrapUpDone']);
    expect(actionsOf(press('Enter', 'Enter'))).toEqual([]);
  });

  it('has one key per action on the call screen (no two transfer actions share a key)', () => {
    const onCallScreen: CallKeyAction[] = ['consult', 'blind', 'swap', 'merge', 'complete'];
    const keys = onCallScreen.map((action) => CALL_KEYS[action].aria);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
