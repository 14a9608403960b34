import { DisplayName, Password, Username } from '../../../shared/protocol';
import { Accelerator, ServerUrl } from '../../../shared/settings';

/**
 * Inline validation (finding 9): each field is checked as the user types, against the same shared
 * schemas the bridge and the server apply, and answers an i18n key under `validation.` (or null).
 */
export type FieldCheck = (value: string) => string | null;

export const checkUsername: FieldCheck = (value) => {
  const name = value.trim().toLowerCase();
  if (!name) return 'usernameRequired';
  return Username.safeParse(name).success ? null : 'usernameFormat';
};

/** What to dial: the same rules as a username, with its own words for an empty box. */
export const checkDialTarget: FieldCheck = (value) => {
  const name = value.trim().toLowerCase();
  if (!name) return 'dialEmpty';
  return Username.safeParse(name).success ? null : 'usernameFormat';
};

export const checkNewPassword: FieldCheck = (value) => (Password.safeParse(value).success ? null : value ? 'passwordShort' : 'passwordRequired');

export const checkPassword: FieldCheck = (value) => (value ? null : 'passwordRequired');

export const checkDisplayName: FieldCheck = (value) => (DisplayName.safeParse(value).success ? null : value.trim() ? 'displayNameLong' : 'displayNameRequired');

export const checkServerUrl: FieldCheck = (value) => (ServerUrl.safeParse(value).success ? null : value.trim() ? 'serverUrlFormat' : 'serverUrlRequired');

/** Which field a server-side VALIDATION_FAILED issue path belongs to. */
export function fieldOfIssue(path: string): string {
  return path.split('.')[0] ?? path;
}

/** A global shortcut: empty (off) or an accelerator with a modifier. */
export const checkShortcut: FieldCheck = (value) => (value === '' || Accelerator.safeParse(value).success ? null : 'shortcutFormat');
