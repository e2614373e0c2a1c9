/** Phone numbers: the one E.164 rule and the one reading of the allowed SMS countries. */

/** `+`, a country code that does not start with 0, and 8 to 15 digits in all. */
const E164 = /^\+[1-9][0-9]{7,14}$/;
const COUNTRY_CODE = /^\+[1-9][0-9]{0,2}$/;

/** Where SMS may go when the operator names no countries (the CDK default too). */
export const DEFAULT_SMS_COUNTRIES: readonly string[] = ['+1'];

export function isE164(phone: string): boolean {
  return E164.test(phone);
}

/** A number SMS may be sent from: E.164 (toll-free, 10DLC, long code) or a short code of 4 to 7 digits. */
export function isOriginationNumber(value: string): boolean {
  return E164.test(value) || /^[0-9]{4,7}$/.test(value);
}

/**
 * The allowed SMS country calling codes from a setting (`+1,+44`, or a list); unset or blank means the
 * default. Throws an Error naming the bad entry and the expected form.
 */
export function parseSmsCountries(setting: string | readonly string[] | undefined): readonly string[] {
  const entries = typeof setting === 'string' ? setting.split(',') : (setting ?? []);
  const codes = entries.map((entry) => entry.trim()).filter((code) => code !== '');
  if (codes.length === 0) return DEFAULT_SMS_COUNTRIES;
  const invalid = codes.find((code) => !COUNTRY_CODE.test(code));
  if (invalid !== undefined) {
    throw new Error(
      `"${invalid}" is not a country calling code: use '+' and 1 to 3 digits, comma-separated (e.g. +1,+44)`,
    );
  }
  return codes;
}
