import { describe, expect, it } from 'vitest';
import { inLanguageHref } from '../../functions/web/language';

describe('the language switch of a page (inLanguageHref)', () => {
  it('keeps the path and its query, asking for the other language', () => {
    expect(inLanguageHref('/links/abc?x=1', 'en')).toBe('/links/abc?x=1&lang=en');
    expect(inLanguageHref('/staff?lang=en', 'sv')).toBe('/staff?lang=sv');
  });

  // The kill soak's fuzzing found `GET /..//` answered 500: its path resolves to `//`, which new URL read
  // as an address with no host and threw on the 404 page's switch.
  it('takes a path that starts with two slashes as a path on this site, never another host', () => {
    expect(inLanguageHref('//', 'en')).toBe('/?lang=en');
    expect(inLanguageHref('//evil.example/x', 'en')).toBe('/evil.example/x?lang=en');
  });
});
