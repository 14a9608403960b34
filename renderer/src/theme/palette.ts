/**
 * The colour tokens: the only place colours are defined, once per theme. installPalette() puts the
 * theme the OS asks for (prefers-color-scheme) on the root as CSS custom properties (--c-<name>)
 * and follows changes live; the style sheets use only the variables. palette.test.ts checks every
 * pair in CONTRAST_PAIRS against WCAG 2.x AA in both themes (4.5:1 for text, 3:1 for large text and
 * UI parts such as borders, icons and focus rings).
 *
 * The call screen is dark in both themes, as phones and video-call apps do it: video reads better
 * on dark, and the screen is told apart from the rest at a glance.
 */
const light = {
  bg: '#f4f6f8',
  surface: '#ffffff',
  surfaceAlt: '#eef1f4',
  text: '#111a23',
  textMuted: '#4a5663',
  border: '#6b7785',
  divider: '#d9dee4',
  accent: '#0b5cad',
  accentFill: '#0b5cad',
  onAccentFill: '#ffffff',
  accentSoft: '#e3eefb',
  onAccentSoft: '#0a4a8c',
  danger: '#b3261e',
  dangerFill: '#c9302c',
  onDangerFill: '#ffffff',
  dangerSoft: '#fde8e7',
  onDangerSoft: '#8c1d18',
  success: '#1b7a3a',
  successFill: '#1f7a3d',
  onSuccessFill: '#ffffff',
  warningSoft: '#fff4d6',
  onWarningSoft: '#5c4300',
  infoSoft: '#e3eefb',
  onInfoSoft: '#0a3d73',
  focus: '#0b5cad',
  scrim: '#0b121acc',
  callBg: '#0f1720',
  callSurface: '#1b2632',
  callText: '#f2f5f8',
  callTextMuted: '#aab7c4',
  callControl: '#243240',
  onCallControl: '#f2f5f8',
  callControlOn: '#e8eef5',
  onCallControlOn: '#0f1720',
  callWarning: '#3b2f0b',
  onCallWarning: '#ffe7a3',
  callInfo: '#15304f',
  onCallInfo: '#d6e6ff',
  presenceAvailable: '#1b7a3a',
  presenceAway: '#8a5300',
  presenceBusy: '#b3261e',
  presenceDnd: '#b3261e',
  presenceOffline: '#6b7785',
} as const;

export type PaletteName = keyof typeof light;
export type Palette = Record<PaletteName, string>;

const dark: Palette = {
  bg: '#0f141a',
  surface: '#171e26',
  surfaceAlt: '#1f2731',
  text: '#e8edf2',
  textMuted: '#a9b5c1',
  border: '#7b8896',
  divider: '#2a3440',
  accent: '#6aa9ff',
  accentFill: '#6aa9ff',
  onAccentFill: '#07223f',
  accentSoft: '#17304d',
  onAccentSoft: '#cfe3ff',
  danger: '#ff8f87',
  dangerFill: '#c9302c',
  onDangerFill: '#ffffff',
  dangerSoft: '#3d1a19',
  onDangerSoft: '#ffc9c4',
  success: '#4cc27a',
  successFill: '#1f7a3d',
  onSuccessFill: '#ffffff',
  warningSoft: '#3b2f0b',
  onWarningSoft: '#ffe7a3',
  infoSoft: '#15304f',
  onInfoSoft: '#d6e6ff',
  focus: '#6aa9ff',
  scrim: '#000000cc',
  callBg: '#0b1117',
  callSurface: '#16202a',
  callText: '#f2f5f8',
  callTextMuted: '#aab7c4',
  callControl: '#243240',
  onCallControl: '#f2f5f8',
  callControlOn: '#e8eef5',
  onCallControlOn: '#0f1720',
  callWarning: '#3b2f0b',
  onCallWarning: '#ffe7a3',
  callInfo: '#15304f',
  onCallInfo: '#d6e6ff',
  presenceAvailable: '#4cc27a',
  presenceAway: '#f0b44c',
  presenceBusy: '#ff6b61',
  presenceDnd: '#ff6b61',
  presenceOffline: '#8b97a3',
};

export const PALETTES: Record<'light' | 'dark', Palette> = { light, dark };

/** [foreground, background, minimum ratio, what it is]: every combination the styles use, in both themes. */
export const CONTRAST_PAIRS: [PaletteName, PaletteName, number, string][] = [
  ['text', 'bg', 4.5, 'body text'],
  ['text', 'surface', 4.5, 'text on cards'],
  ['text', 'surfaceAlt', 4.5, 'text on hovered rows and segmented controls'],
  ['textMuted', 'bg', 4.5, 'secondary text'],
  ['textMuted', 'surface', 4.5, 'secondary text on cards'],
  ['textMuted', 'surfaceAlt', 4.5, 'secondary text on hovered rows'],
  ['accent', 'bg', 4.5, 'links and accent text'],
  ['accent', 'surface', 4.5, 'links and accent text on cards'],
  ['onAccentFill', 'accentFill', 4.5, 'primary buttons'],
  ['onAccentSoft', 'accentSoft', 4.5, 'selected tab, selected row'],
  ['danger', 'surface', 4.5, 'error text, missed calls'],
  ['danger', 'bg', 4.5, 'error text on the page'],
  ['onDangerFill', 'dangerFill', 4.5, 'hang up, decline'],
  ['onDangerSoft', 'dangerSoft', 4.5, 'error banners'],
  ['success', 'surface', 4.5, 'success text'],
  ['onSuccessFill', 'successFill', 4.5, 'answer'],
  ['onWarningSoft', 'warningSoft', 4.5, 'warning banners'],
  ['onInfoSoft', 'infoSoft', 4.5, 'info banners, end-of-call summary'],
  ['border', 'surface', 3, 'input and button borders'],
  ['border', 'bg', 3, 'input and button borders on the page'],
  ['focus', 'surface', 3, 'focus ring'],
  ['focus', 'bg', 3, 'focus ring on the page'],
  ['callText', 'callBg', 4.5, 'in-call text'],
  ['callTextMuted', 'callBg', 4.5, 'in-call secondary text'],
  ['callText', 'callSurface', 4.5, 'in-call panels'],
  ['callTextMuted', 'callSurface', 4.5, 'in-call secondary text on panels'],
  ['onCallControl', 'callControl', 4.5, 'in-call control labels'],
  ['onCallControlOn', 'callControlOn', 4.5, 'pressed in-call controls'],
  ['callTextMuted', 'callControl', 3, 'in-call control borders'],
  ['onCallWarning', 'callWarning', 4.5, 'in-call warning banners (muted, held)'],
  ['onCallInfo', 'callInfo', 4.5, 'in-call info banners (the other side muted)'],
  ['presenceAvailable', 'surface', 3, 'presence icon: available'],
  ['presenceAway', 'surface', 3, 'presence icon: away'],
  ['presenceBusy', 'surface', 3, 'presence icon: in a call'],
  ['presenceDnd', 'surface', 3, 'presence icon: do not disturb'],
  ['presenceOffline', 'surface', 3, 'presence icon: offline'],
  ['presenceAvailable', 'bg', 3, 'presence icon in the header'],
  ['presenceAway', 'bg', 3, 'presence icon in the header'],
  ['presenceDnd', 'bg', 3, 'presence icon in the header'],
];

const cssName = (name: string) => `--c-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * Puts the OS's theme on `root` (custom properties set through the CSSOM, which the strict CSP
 * allows, unlike a <style> element) and follows it when the OS switches.
 */
export function installPalette(root: HTMLElement, media: Pick<MediaQueryList, 'matches' | 'addEventListener'> = window.matchMedia('(prefers-color-scheme: dark)')): void {
  const apply = () => {
    const theme = media.matches ? 'dark' : 'light';
    for (const [name, value] of Object.entries(PALETTES[theme])) root.style.setProperty(cssName(name), value);
    root.dataset.theme = theme;
    root.style.colorScheme = theme;
  };
  apply();
  media.addEventListener('change', apply);
}
