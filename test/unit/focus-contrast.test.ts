/**
 * The focus indicator reaches 3:1 against what it sits next to (WCAG 2.1, 1.4.11 non-text contrast): the
 * dark ring against the white page and the yellow halo inside it, the halo against the blue buttons.
 */
import { describe, expect, it } from 'vitest';
import { FOCUS_RING, SITE_CSS } from '../../functions/web/layout';

/** WCAG 2.x relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const PAGE = '#ffffff';
const ACCENT = /--accent: (#[0-9a-f]{6})/.exec(SITE_CSS)![1]!;

describe('the focus indicator', () => {
  it('computes contrast as WCAG does', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    // The old yellow outline on white, the fault this fixes.
    expect(contrast('#f9a825', PAGE)).toBeCloseTo(1.97, 2);
  });

  it('is the dark ring with the yellow halo, on every focusable element', () => {
    const rule = /a:focus[^{]*\{([^}]*)\}/.exec(SITE_CSS)!;
    expect(rule[0]).toContain('[tabindex]:focus');
    expect(rule[1]).toContain(`outline: 3px solid ${FOCUS_RING.outline}`);
    expect(rule[1]).toContain(`box-shadow: 0 0 0 2px ${FOCUS_RING.halo}`);
  });

  it('reaches 3:1 against every colour it meets', () => {
    expect(contrast(FOCUS_RING.outline, PAGE)).toBeGreaterThanOrEqual(3);
    expect(contrast(FOCUS_RING.outline, FOCUS_RING.halo)).toBeGreaterThanOrEqual(3);
    expect(contrast(FOCUS_RING.halo, ACCENT)).toBeGreaterThanOrEqual(3);
  });
});
