/**
 * The colour palette: the only place colours are defined. main.tsx installs them as CSS custom
 * properties; styles.css uses only the variables. palette.test.ts checks every pair below against
 * WCAG 2.x AA (4.5:1 for text, 3:1 for large text and UI components such as borders and dots).
 */
export const palette = {
  background: '#ffffff',
  surface: '#f3f5f7',
  surfaceRaised: '#ffffff',
  text: '#16202a',
  textMuted: '#4b5866',
  border: '#6c7985',
  accent: '#0a58a8',
  accentText: '#ffffff',
  danger: '#b02a20',
  dangerText: '#ffffff',
  success: '#1b6e31',
  successText: '#ffffff',
  warningSurface: '#fff3cd',
  warningText: '#5a4100',
  infoSurface: '#e3effb',
  infoText: '#0d3c6b',
  focus: '#0a58a8',
  overlay: '#0b121acc',
  callBackground: '#101820',
  callText: '#f2f5f8',
  callTextMuted: '#b8c4cf',
  callControl: '#2c3a47',
  presenceOnline: '#1b6e31',
  presenceBusy: '#b02a20',
  presenceDnd: '#8a4500',
  presenceOffline: '#6c7985',
} as const;

export type PaletteName = keyof typeof palette;

/** [foreground, background, minimum ratio, what it is]: every combination the styles use. */
export const CONTRAST_PAIRS: [PaletteName, PaletteName, number, string][] = [
  ['text', 'background', 4.5, 'body text'],
  ['text', 'surface', 4.5, 'text on panels'],
  ['textMuted', 'background', 4.5, 'secondary text'],
  ['textMuted', 'surface', 4.5, 'secondary text on panels'],
  ['accent', 'background', 4.5, 'links and accent text'],
  ['accentText', 'accent', 4.5, 'primary buttons'],
  ['dangerText', 'danger', 4.5, 'hang up / decline buttons'],
  ['successText', 'success', 4.5, 'answer buttons'],
  ['warningText', 'warningSurface', 4.5, 'warning banners'],
  ['infoText', 'infoSurface', 4.5, 'info banners'],
  ['danger', 'background', 4.5, 'error text'],
  ['callText', 'callBackground', 4.5, 'in-call text'],
  ['callTextMuted', 'callBackground', 4.5, 'in-call secondary text'],
  ['callText', 'callControl', 4.5, 'in-call control labels'],
  ['border', 'background', 3, 'input borders'],
  ['border', 'surface', 3, 'input borders on panels'],
  ['focus', 'background', 3, 'focus ring'],
  ['focus', 'surface', 3, 'focus ring on panels'],
  ['presenceOnline', 'background', 3, 'presence dot online'],
  ['presenceBusy', 'background', 3, 'presence dot busy'],
  ['presenceDnd', 'background', 3, 'presence dot dnd'],
  ['presenceOffline', 'background', 3, 'presence dot offline'],
  ['callTextMuted', 'callControl', 3, 'in-call control borders'],
];

/** Installs the palette as CSS custom properties (--color-<name>). */
export function installPalette(root: HTMLElement): void {
  for (const [name, value] of Object.entries(palette)) {
    root.style.setProperty(`--color-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, value);
  }
}
