import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every import specifier of every TypeScript file under `folder`, with the file it is in. */
function importsUnder(folder: string): { file: string; target: string }[] {
  const files = readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((name) =>
    name.endsWith('.ts'),
  );
  return files.flatMap((name) => {
    const file = join(folder, name);
    const text = readFileSync(file, 'utf8');
    // Static imports, re-exports and dynamic imports: the specifier is the quoted string after `from` or `import(`.
    const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+)'([^']+)'/gm)].map(
      (m) => m[1] ?? '',
    );
    return specifiers.map((specifier) => ({
      file: relative('.', file),
      target: specifier.startsWith('.') ? relative('.', resolve(folder, name, '..', specifier)) : specifier,
    }));
  });
}

function violations(folder: string, forbidden: (target: string) => boolean): string[] {
  return importsUnder(folder)
    .filter(({ target }) => forbidden(target))
    .map(({ file, target }) => `${file} imports ${target}`);
}

describe('module boundaries', () => {
  it('keeps functions/core pure: no AWS SDK, Powertools, middy, adapters, handlers, config or infrastructure', () => {
    const forbidden = (target: string) =>
      /^@aws-sdk\/|^@aws-lambda-powertools\/|^@middy\/|^aws-cdk-lib|^constructs$/.test(target) ||
      /^functions\/(?:adapters|handlers|config|api|cli|web)\//.test(target) ||
      /^(?:infra|definitions)\//.test(target);
    expect(violations('functions/core', forbidden)).toEqual([]);
  });

  it('keeps the runtime free of CDK: nothing under functions/ imports aws-cdk-lib or infra/', () => {
    const forbidden = (target: string) =>
      /^aws-cdk-lib|^constructs$|^cdk-nag/.test(target) || target.startsWith('infra/');
    expect(violations('functions', forbidden)).toEqual([]);
  });

  it('finds the imports it checks (the scan itself works)', () => {
    const targets = importsUnder('functions/handlers').map(({ target }) => target);
    expect(targets).toContain('@aws-sdk/client-sqs');
    expect(targets).toContain('functions/core/deliveries/codec.ts');
    expect(targets).toContain('definitions/resources.ts');
  });
});
