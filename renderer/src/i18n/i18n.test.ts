/* eslint-disable no-restricted-imports -- a Node-side test: it reads the renderer sources from disk to check them; it is not renderer code. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { en } from './en';
import { resolveLocale } from './index';
import { zhCN } from './zh-CN';

type Tree = { readonly [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const SRC = join(import.meta.dirname, '..');
function sourceFiles(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path, pattern);
    return pattern.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

const english = flatten(en);
const chinese = flatten(zhCN);
/** Strings that are the same in both languages on purpose (a unit name, a product term). */
const SAME_IN_BOTH = new Set(['quality.mos']);

describe('catalogues', () => {
  it('English and Simplified Chinese have exactly the same keys', () => {
    expect([...chinese.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it('every Chinese string is translated and keeps the interpolation variables', () => {
    for (const [key, value] of english) {
      const translated = chinese.get(key)!;
      expect(translated.trim(), key).not.toBe('');
      if (!SAME_IN_BOTH.has(key)) expect(translated, key).not.toBe(value);
      const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
      expect(vars(translated), key).toEqual(vars(value));
    }
  });

  it('every literal key the code passes to t() exists', () => {
    const missing: string[] = [];
    for (const file of sourceFiles(SRC, /\.tsx?$/)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z0-9_.-]+)'/g)) {
        const key = match[1]!;
        if (!english.has(key) && !english.has(`${key}_one`)) missing.push(`${relative(SRC, file)}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

const USER_FACING_ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'alt', 'label', 'aria-description']);

/** JSX text and user-facing string attributes that contain letters (text that bypasses i18next). */
function findHardCodedText(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && /\p{L}/u.test(node.text)) found.push(`${fileName}: "${node.text.trim()}"`);
    if (ts.isJsxAttribute(node) && node.initializer && ts.isStringLiteral(node.initializer)) {
      const name = node.name.getText(source);
      if (USER_FACING_ATTRIBUTES.has(name) && /\p{L}/u.test(node.initializer.text)) found.push(`${fileName}: ${name}="${node.initializer.text}"`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('components', () => {
  it('have no hard-coded text: no JSX text or user-facing string attribute with letters', () => {
    const found = sourceFiles(SRC, /\.tsx$/).flatMap((file) => findHardCodedText(relative(SRC, file), readFileSync(file, 'utf8')));
    expect(found).toEqual([]);
  });

  it('the scanner finds hard-coded text, and ignores symbols and class names', () => {
    expect(findHardCodedText('x.tsx', '<p aria-label="Close" className="box">Hello <span aria-hidden="true">★</span></p>')).toEqual([
      'x.tsx: aria-label="Close"',
      'x.tsx: "Hello"',
    ]);
  });
});

describe('resolveLocale', () => {
  it('follows the system unless the setting overrides it', () => {
    expect(resolveLocale('system', ['zh-CN', 'en-US'])).toBe('zh-CN');
    expect(resolveLocale('system', ['zh-TW'])).toBe('zh-CN');
    expect(resolveLocale('system', ['fr-FR', 'en-GB'])).toBe('en');
    expect(resolveLocale('system', ['de-DE'])).toBe('en');
    expect(resolveLocale('en', ['zh-CN'])).toBe('en');
    expect(resolveLocale('zh-CN', ['en-US'])).toBe('zh-CN');
  });
});
