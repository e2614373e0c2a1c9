import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SMS_COUNTRIES,
  isSmsCountry,
  parseSmsCountries,
  smsRefusal,
} from '../../../functions/core/subscriptions/phone.ts';

describe('smsRefusal', () => {
  it('lets mobile numbers of the allowed countries through', () => {
    expect(smsRefusal('+14155550123', ['US'])).toBeUndefined();
    expect(smsRefusal('+16135550123', ['US', 'CA'])).toBeUndefined();
    expect(smsRefusal('+447400123456', ['GB'])).toBeUndefined();
    expect(smsRefusal('+33612345678', ['FR'])).toBeUndefined();
  });

  it('tells a +1 number in the Caribbean from a US one', () => {
    // +1 876 is Jamaica: NANP shares +1 with the US, Canada and the Caribbean.
    expect(smsRefusal('+18762101234', ['US', 'CA'])).toBe(
      'SMS to Jamaica (JM) is not allowed here (allowed countries: US, CA)',
    );
    expect(smsRefusal('+18762101234', ['US', 'JM'])).toBeUndefined();
    expect(smsRefusal('+447400123456', [])).toMatch(/not allowed here \(allowed countries: none\)/);
  });

  it.each([
    ['+19005551234', ['US'], 'a premium-rate number'],
    ['+449090101234', ['GB'], 'a premium-rate number'],
    ['+18005551234', ['US'], 'a toll-free number'],
    ['+443001234567', ['GB'], 'a universal access (company) number'],
    ['+445601234567', ['GB'], 'a VoIP number'],
    ['+447012345678', ['GB'], 'a personal (forwarding) number'],
    ['+442071234567', ['GB'], 'a landline number'],
  ])('refuses %s in an allowed country: %s', (phone, allowed, kind) => {
    expect(smsRefusal(phone, allowed)).toBe(`${kind}: alerts go by SMS only to mobile numbers`);
  });

  it('refuses what is not E.164, and numbers in no country plan', () => {
    expect(smsRefusal('+1 415 555 0123', ['US'])).toMatch(/^not a phone number in E\.164 form/);
    expect(smsRefusal('0612345678', ['FR'])).toMatch(/E\.164/);
    // Area code 555 does not exist.
    expect(smsRefusal('+15555550100', ['US'])).toBe(
      'not a valid phone number: no country numbers its phones this way',
    );
  });
});

describe('parseSmsCountries', () => {
  it('reads ISO 3166 codes, in any case, once each; blank means the default', () => {
    expect(parseSmsCountries('us, CA ,gb,US')).toEqual(['US', 'CA', 'GB']);
    expect(parseSmsCountries(['JM'])).toEqual(['JM']);
    expect(parseSmsCountries(' , ')).toBe(DEFAULT_SMS_COUNTRIES);
    expect(DEFAULT_SMS_COUNTRIES).toEqual(['US', 'CA']);
  });

  it('reads a calling code only one country uses as that country', () => {
    expect(parseSmsCountries('+33,+353,DE')).toEqual(['FR', 'IE', 'DE']);
  });

  it('refuses a shared calling code, naming its countries and the fix', () => {
    expect(() => parseSmsCountries('+1')).toThrow(
      /^"\+1" is a calling code shared by AG, .*CA, .*JM, .*US, .*: name the countries SMS may go to with ISO 3166 codes \(e\.g\. US,CA,GB\)$/,
    );
    expect(() => parseSmsCountries('+44')).toThrow('"+44" is a calling code shared by GB, GG, IM, JE');
  });

  it('refuses what is neither a country nor a calling code', () => {
    expect(() => parseSmsCountries('USA')).toThrow('"USA" is not a country: use ISO 3166 country codes');
    expect(() => parseSmsCountries('XX')).toThrow('"XX" is not a country');
    expect(() => parseSmsCountries('+999')).toThrow('"+999" is no country\'s calling code');
  });

  it('isSmsCountry takes exact ISO codes only', () => {
    expect(isSmsCountry('GB')).toBe(true);
    expect(isSmsCountry('gb')).toBe(false);
    expect(isSmsCountry('+44')).toBe(false);
  });
});
