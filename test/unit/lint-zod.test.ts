/**
 * The lint rule that keeps classic zod out of the functions (issue 15): one classic import anywhere puts
 * all of it (~90 KB, 5–9 ms of a cold start) back into every bundle that reaches that file.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();
const zodProblems = async (code: string, filePath = 'functions/domain/lint-probe.ts') => {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
};

describe('zod imports in functions/', () => {
  it.each([
    "import * as z from 'zod';",
    "import { z } from 'zod';",
    "import * as z from 'zod/v4';",
    "import type * as z from 'zod';",
    "export { string } from 'zod';",
  ])('refuses classic zod: %s', async (code) => {
    const problems = await zodProblems(`${code}\nexport const used = 1;\n`);
    expect(problems.filter((m) => m.includes('classic zod'))).toHaveLength(1);
  });

  it('refuses a named `z` from zod/mini (not tree-shakable)', async () => {
    expect(await zodProblems("import { z } from 'zod/mini';\nexport const used = z;\n")).toHaveLength(1);
  });

  it('accepts zod/mini as a namespace and the English locale', async () => {
    expect(
      await zodProblems(
        "import * as z from 'zod/mini';\nimport { en } from 'zod/locales';\nexport const used = [z, en];\n",
      ),
    ).toEqual([]);
  });
});
