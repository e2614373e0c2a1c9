import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OptionsError, parseLocalOptions } from '../../local/options.ts';

describe('npm start options', () => {
  it('defaults to the fixed local ports and .wirewatch', () => {
    expect(parseLocalOptions([], {})).toEqual({
      ports: { aws: 4566, dynamodb: 8000, ses: 8005 },
      apiPort: 8080,
      dataDir: resolve('.wirewatch'),
      visibilityTimeoutSeconds: 5,
      snapshotEverySeconds: 60,
    });
  });

  it('takes flags (with a space or =) over environment variables', () => {
    const options = parseLocalOptions(['--aws-port', '14566', '--ses-port=18005', '--data-dir', '/tmp/ww'], {
      WIREWATCH_AWS_PORT: '24566',
      WIREWATCH_DYNAMODB_PORT: '18000',
    });
    expect(options?.ports).toEqual({ aws: 14566, dynamodb: 18000, ses: 18005 });
    expect(options?.dataDir).toBe('/tmp/ww');
  });

  it('returns undefined for --help', () => {
    expect(parseLocalOptions(['--help'], {})).toBeUndefined();
  });

  it('names the bad flag or variable and the allowed range', () => {
    expect(() => parseLocalOptions(['--aws-port', '70000'], {})).toThrow(
      new OptionsError("--aws-port is '70000': give a whole number from 1 to 65535"),
    );
    expect(() => parseLocalOptions([], { WIREWATCH_SES_PORT: 'abc' })).toThrow(/WIREWATCH_SES_PORT is 'abc'/);
    expect(() => parseLocalOptions(['--verbose'], {})).toThrow(/unknown option '--verbose'/);
    expect(() => parseLocalOptions(['--data-dir'], {})).toThrow(/--data-dir needs a value/);
  });
});
