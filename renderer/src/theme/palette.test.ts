import { describe, expect, it } from 'vitest';
import { contrastRatio } from './contrast';
import { CONTRAST_PAIRS, PALETTES } from './palette';

describe('contrast math', () => {
  it('matches the WCAG reference values', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2); // the classic "just fails AA" grey
    expect(contrastRatio('#fff', '#000')).toBeCloseTo(21, 5);
  });
});

describe.each(['light', 'dark'] as const)('the %s palette', (theme) => {
  it('has the same tokens as the other theme', () => {
    expect(Object.keys(PALETTES[theme]).sort()).toEqual(Object.keys(PALETTES.light).sort());
  });

  it.each(CONTRAST_PAIRS)('%s on %s reaches %d:1 (%s)', (fg, bg, min) => {
    expect(contrastRatio(PALETTES[theme][fg], PALETTES[theme][bg])).toBeGreaterThanOrEqual(min);
  });
});
