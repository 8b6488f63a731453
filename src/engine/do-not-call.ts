import { DialerError, type Issue, quote } from '../errors.js';
import { parsePhone } from '../policy/fields.js';

/**
 * Campaign option `doNotCall` (spec section 12): an outside do-not-call list, asked about a phone
 * (its digits) each time a job would be added for it (entries, test phones, redials). `true` means the
 * phone must not be called: no job is added.
 */
export type DoNotCall = (phone: string) => boolean;

const LIST_EXPECTED = 'expected an array of phones (strings or numbers)';

/**
 * Reads the phones of `blockPhones` / `unblockPhones` (the array read once): their digit strings, each
 * once, in the order given. Unlike `cancel`, a phone that is not a phone number is an error
 * (`phone.bad.format`, path `['phones', i]`, every one reported): a typo must not leave a number
 * callable while its caller believes it blocked.
 * @throws DialerError `invalid.body` when `phones` is not an array of strings and numbers.
 */
export function readPhoneList(phones: unknown, method: string): string[] {
  const list = Array.isArray(phones) ? [...(phones as unknown[])] : phones;
  if (!Array.isArray(list) || !list.every((p) => typeof p === 'string' || typeof p === 'number')) {
    throw new DialerError([
      {
        path: ['phones'],
        code: 'invalid.body',
        message: `${method} phones ${quote(list)}: ${LIST_EXPECTED}.`,
      },
    ]);
  }
  const issues: Issue[] = [];
  const digits = new Set<string>();
  list.forEach((phone, i) => {
    const parsed = parsePhone(phone, (_path, code, message) =>
      issues.push({ path: ['phones', i], code, message: message() }),
    );
    if (parsed !== undefined) digits.add(parsed);
  });
  if (issues.length > 0) throw new DialerError(issues);
  return [...digits];
}

/**
 * Asks the `doNotCall` option about a phone. Called before the call changes anything, so that an
 * exception it throws, or an answer that is not a boolean (`invalid.option`), leaves the campaign as
 * it was.
 */
export function askDoNotCall(doNotCall: DoNotCall, digits: string): boolean {
  const answer: unknown = doNotCall(digits);
  if (typeof answer !== 'boolean') {
    throw new DialerError([
      {
        path: ['doNotCall'],
        code: 'invalid.option',
        message: `doNotCall(${quote(digits)}) returned ${quote(answer)}: expected true or false.`,
      },
    ]);
  }
  return answer;
}

/**
 * Which of a body's accepted entries (`undefined`: rejected) the `doNotCall` option names, or
 * `undefined` without the option (the common case costs nothing).
 */
export function blockedByOption(
  doNotCall: DoNotCall | undefined,
  accepted: readonly ({ readonly phone: string } | undefined)[],
): boolean[] | undefined {
  if (doNotCall === undefined) return undefined;
  return accepted.map((entry) => entry !== undefined && askDoNotCall(doNotCall, entry.phone));
}

/** The error of `addTestPhone` for a phone that must not be called. */
export function blockedPhoneError(digits: string): DialerError {
  return new DialerError([
    {
      path: ['phone'],
      code: 'phone.blocked',
      message: `phone ${quote(digits)} must not be called: it is on the campaign's do-not-call list (blockPhones, or the doNotCall option).`,
    },
  ]);
}
