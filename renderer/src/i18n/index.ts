import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../../shared/settings';
import { en } from './en';
import { zhCN } from './zh-CN';

export const LOCALES = { en, 'zh-CN': zhCN } as const;
export type Locale = keyof typeof LOCALES;

/** The locale for a language setting: 'system' follows the browser / OS language. */
export function resolveLocale(setting: Language, systemLanguages: readonly string[]): Locale {
  if (setting !== 'system') return setting;
  for (const tag of systemLanguages) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

export async function initI18n(locale: Locale): Promise<i18n> {
  await i18next.use(initReactI18next).init({
    lng: locale,
    fallbackLng: 'en',
    resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });
  applyDocumentLanguage(locale);
  return i18next;
}

export async function changeLocale(locale: Locale): Promise<void> {
  if (i18next.language !== locale) await i18next.changeLanguage(locale);
  applyDocumentLanguage(locale);
}

function applyDocumentLanguage(locale: Locale): void {
  document.documentElement.lang = locale;
}
