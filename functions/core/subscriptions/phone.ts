/**
 * Phone numbers: the one E.164 rule, the one reading of the allowed SMS countries, and the one test of whether
 * a number may receive alerts by SMS (at subscribe time and again at send time). Country and number type come
 * from libphonenumber-js with its full metadata (`/max`, the only flavour that tells premium-rate from mobile).
 */
import {
  type CountryCode,
  getCountries,
  getCountryCallingCode,
  isSupportedCountry,
  type NumberType,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/max';

/** `+`, a country code that does not start with 0, and 8 to 15 digits in all. */
const E164 = /^\+[1-9][0-9]{7,14}$/;
const CALLING_CODE = /^\+[1-9][0-9]{0,2}$/;
const REGION = /^[A-Za-z]{2}$/;

/** Where SMS may go when the operator names no countries (the CDK default too). */
export const DEFAULT_SMS_COUNTRIES: readonly string[] = ['US', 'CA'];

export function isE164(phone: string): boolean {
  return E164.test(phone);
}

/** A number SMS may be sent from: E.164 (toll-free, 10DLC, long code) or a short code of 4 to 7 digits. */
export function isOriginationNumber(value: string): boolean {
  return E164.test(value) || /^[0-9]{4,7}$/.test(value);
}

/**
 * The countries SMS may go to, as ISO 3166 region codes, from a setting (`US,CA,GB`, or a list); unset or
 * blank means the default. The older calling-code form is read as the one country that uses the code (`+33`
 * is FR); a code several countries share (`+1`: the US, Canada and the Caribbean; `+44`: GB, GG, IM, JE) is an
 * error that lists them, so the operator names the ones meant. Throws an Error naming the entry and the fix.
 */
export function parseSmsCountries(setting: string | readonly string[] | undefined): readonly string[] {
  const entries = typeof setting === 'string' ? setting.split(',') : (setting ?? []);
  const names = entries.map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (names.length === 0) return DEFAULT_SMS_COUNTRIES;
  return [...new Set(names.map(countryOf))];
}

/** An ISO 3166 country code (two capital letters) that has phone numbers. */
export function isSmsCountry(code: string): boolean {
  return REGION.test(code) && code === code.toUpperCase() && isSupportedCountry(code);
}

function countryOf(entry: string): string {
  if (isSmsCountry(entry.toUpperCase())) return entry.toUpperCase();
  if (!CALLING_CODE.test(entry)) {
    throw new Error(
      `"${entry}" is not a country: use ISO 3166 country codes, comma-separated (e.g. US,CA,GB)`,
    );
  }
  const sharing = countriesOfCallingCode(entry.slice(1));
  if (sharing.length === 1) return sharing[0]!;
  if (sharing.length === 0) {
    throw new Error(`"${entry}" is no country's calling code: use ISO 3166 country codes (e.g. US,CA,GB)`);
  }
  throw new Error(
    `"${entry}" is a calling code shared by ${sharing.join(', ')}: name the countries SMS may go to with ISO 3166 codes (e.g. US,CA,GB)`,
  );
}

function countriesOfCallingCode(digits: string): CountryCode[] {
  return getCountries().filter((country) => getCountryCallingCode(country) === digits);
}

/** Number types that reach a person's phone; every other type (premium-rate, toll-free, ...) is refused. */
const PERSONAL_TYPES: ReadonlySet<NumberType> = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

const TYPE_NAMES: Readonly<Record<string, string>> = {
  PREMIUM_RATE: 'a premium-rate number',
  SHARED_COST: 'a shared-cost number',
  TOLL_FREE: 'a toll-free number',
  UAN: 'a universal access (company) number',
  VOIP: 'a VoIP number',
  PERSONAL_NUMBER: 'a personal (forwarding) number',
  PAGER: 'a pager number',
  VOICEMAIL: 'a voicemail number',
  FIXED_LINE: 'a landline number',
};

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/**
 * Why SMS may not go to `phone` (E.164) with these allowed countries, or undefined when it may: the number must
 * be valid, in an allowed country (a `+1` number in Jamaica is not a US one), and a mobile number, never a
 * premium-rate, shared-cost, toll-free, universal access, VoIP, forwarding or landline number.
 */
export function smsRefusal(phone: string, allowedCountries: readonly string[]): string | undefined {
  if (!isE164(phone)) {
    return "not a phone number in E.164 form: '+', country code and number, 8 to 15 digits, no spaces (e.g. +14155550123)";
  }
  const number = parsePhoneNumberFromString(phone);
  if (number === undefined || !number.isValid() || number.country === undefined) {
    return 'not a valid phone number: no country numbers its phones this way';
  }
  const country = number.country;
  if (!allowedCountries.includes(country)) {
    const allowed = allowedCountries.length > 0 ? allowedCountries.join(', ') : 'none';
    return `SMS to ${regionNames.of(country) ?? country} (${country}) is not allowed here (allowed countries: ${allowed})`;
  }
  const type = number.getType();
  if (type !== undefined && PERSONAL_TYPES.has(type)) return undefined;
  const kind = (type === undefined ? undefined : TYPE_NAMES[type]) ?? 'a number of unknown type';
  return `${kind}: alerts go by SMS only to mobile numbers`;
}
