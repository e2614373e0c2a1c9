/**
 * The one reader of a function's environment: each check records its problem and goes on, and `done` throws
 * one ConfigurationError listing every problem with its fix, so that a deploy with three mistakes fails once.
 */
import { parseSmsCountries } from '../core/subscriptions/phone.ts';

export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export class EnvironmentReader {
  private readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  /** Records `NAME problem: fix`. */
  problem(name: string, problem: string, fix: string): void {
    this.problems.push(`${name} ${problem}: ${fix}`);
  }

  optional(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  required(name: string, fix: string): string {
    const value = this.optional(name);
    if (value === undefined) this.problem(name, 'is not set', fix);
    return value ?? '';
  }

  /** An http(s) URL without query or fragment (unless `allowQuery`), trailing slashes removed. */
  url(
    name: string,
    fix: string,
    options: { readonly required?: boolean; readonly allowQuery?: boolean } = {},
  ) {
    const value = options.required === false ? this.optional(name) : this.required(name, fix);
    if (value === undefined || value === '') return value;
    if (!isHttpUrl(value, options.allowQuery ?? false)) {
      this.problem(
        name,
        `is "${value}", not an http(s) URL${options.allowQuery ? '' : ' without query'}`,
        fix,
      );
    }
    return value.replace(/\/+$/, '');
  }

  wholeNumber(name: string, fallback: number, min: number, max: number, unit = 'seconds'): number {
    const value = this.optional(name);
    if (value === undefined) return fallback;
    const number = Number(value);
    if (Number.isInteger(number) && number >= min && number <= max) return number;
    this.problem(
      name,
      `is "${value}"`,
      `use a whole number of ${unit} from ${min} to ${max} (default ${fallback})`,
    );
    return fallback;
  }

  smsCountries(name: string): readonly string[] {
    try {
      return parseSmsCountries(this.optional(name));
    } catch (error) {
      this.problem(
        name,
        `holds ${(error as Error).message.replace(/:.*/, '')}`,
        'use ISO 3166 country codes, comma-separated, e.g. US,CA,GB',
      );
      return [];
    }
  }

  /** Throws when any check failed; otherwise returns `value`. */
  done<T>(value: T): T {
    if (this.problems.length > 0) {
      throw new ConfigurationError(
        `Wirewatch configuration: ${this.problems.join('; ')}. Set these in the function's environment ` +
          '(the CDK constructs do; locally, the local stack does).',
      );
    }
    return value;
  }
}

function isHttpUrl(value: string, allowQuery: boolean): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    (allowQuery || (url.search === '' && url.hash === ''))
  );
}
