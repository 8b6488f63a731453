/**
 * Built-in US calling rules, as data to read, extend and combine (spec section 12).
 *
 * NOT LEGAL ADVICE. These rows are an engineer's reading of public statutes and of public summaries
 * of them, each citing its source and the date it was checked. Laws change, have exemptions (consent,
 * established business relationships, debt collection, charities) and scopes (automated calls only,
 * residential lines only) that a row cannot express; a state of emergency can forbid calls for weeks.
 * Check every rule you rely on with counsel. Rows read on the safe side where a limit is narrower
 * than a whole calling campaign ("three calls on the same subject" is capped as three calls).
 *
 * Rules combine by intersection: a call is allowed only when every rule that applies allows it, so a
 * state row carries only what is stricter than the federal row, and the federal hours still apply.
 */
import type { BuiltInRule } from './rule-types.js';

const CHECKED_ON = '2026-12-01';
const MON_SAT = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const from8to20 = { default: [{ localTimeFrom: '08:00', localTimeTo: '20:00' }] } as const;

/**
 * Places in the US calling hours rule: the states and DC (`US`) and the territories that have their
 * own ISO 3166-1 codes, which libphonenumber reports instead of `US`. Including the territories is
 * the safe side: 47 U.S.C. 153 counts them as part of the United States.
 */
const US_AND_TERRITORIES = ['US', 'PR', 'VI', 'GU', 'AS', 'MP'] as const;

/**
 * US federal calling hours: 08:00 to 21:00 in the callee's local time, every day.
 * @see https://www.ecfr.gov/current/title-47/chapter-I/subchapter-B/part-64/subpart-L/section-64.1200
 * @see https://www.ecfr.gov/current/title-16/chapter-I/subchapter-C/part-310/section-310.4
 */
export const US_FEDERAL_RULES: readonly BuiltInRule[] = [
  {
    name: 'us-federal-calling-hours',
    appliesTo: { countries: US_AND_TERRITORIES },
    allowedTime: { default: [{ localTimeFrom: '08:00', localTimeTo: '21:00' }] },
    source: 'TCPA rules, 47 CFR 64.1200(c)(1); FTC Telemarketing Sales Rule, 16 CFR 310.4(c)',
    sourceUrls: [
      'https://www.ecfr.gov/current/title-47/chapter-I/subchapter-B/part-64/subpart-L/section-64.1200',
      'https://www.ecfr.gov/current/title-16/chapter-I/subchapter-C/part-310/section-310.4',
    ],
    checkedOn: CHECKED_ON,
    evidence: 'primary-text',
    notes:
      "No telephone solicitation before 8 a.m. or after 9 p.m. local time at the called party's location. " +
      'The 21:00 end is exclusive (half-open windows), so a call may start up to 20:59:59.999.',
  },
];

/** US state rules stricter than the federal hours, one row per state. */
export const US_STATE_RULES: readonly BuiltInRule[] = [
  {
    name: 'us-al-calling-hours',
    appliesTo: { regions: ['US-AL'] },
    allowedDays: MON_SAT,
    allowedTime: from8to20,
    holidays: { country: 'US', region: 'US-AL' },
    source: 'Ala. Admin. Code r. 770-X-5-.17(1)(b) (Alabama Public Service Commission)',
    sourceUrls: [
      'https://d1tvxue8o4w0fl.cloudfront.net/regulation/alabama-administrative-code/title-770-alabama-public-service-commission/chapter-770-x-5-telephone-rules/section-770-x-5-17-live-and-automated-solicitations-and-announcements',
      'https://leadmanagerhelp.clickpointsoftware.com/en/articles/5753977-state-calling-hours',
    ],
    checkedOn: CHECKED_ON,
    evidence: 'primary-text',
    notes:
      'The rule text covers automated solicitation calls: none on Sundays or holidays, none before 8 a.m. or ' +
      "after 8 p.m. Holidays from the calendar's US-AL public list; Ala. Code 1-3-8 moves a Sunday holiday " +
      'to Monday and a Saturday one to Friday.',
  },
  {
    name: 'us-ct-calling-hours',
    appliesTo: { regions: ['US-CT'] },
    allowedTime: { default: [{ localTimeFrom: '09:00', localTimeTo: '20:00' }] },
    source: 'Conn. Gen. Stat. 42-288a(c), as amended by Public Act 23-98 (SB 1058, effective 2023-10-01)',
    sourceUrls: [
      'https://tcpaworld.com/2023/06/28/connecticut-rolls-out-new-telemarketing-requirements-here-is-what-you-need-to-know/',
      'https://www.dropcowboy.com/state-compliance',
    ],
    checkedOn: CHECKED_ON,
    evidence: 'summary',
    notes: 'The 2023 amendment moved the end of the day from 9 p.m. to 8 p.m.; calls start at 9 a.m.',
  },
  {
    name: 'us-fl-calling-hours',
    appliesTo: { regions: ['US-FL'] },
    allowedTime: from8to20,
    maxAttemptsPer24h: 3,
    source: 'Fla. Stat. 501.616(6)(a)-(b), as amended by ch. 2021-174 (CS/SB 1120)',
    sourceUrls: [
      'https://flsenate.gov/Session/Bill/2021/1120/BillText/er/HTML',
      'https://blog.clickpointsoftware.com/federal-and-local-call-time-and-date-compliance',
    ],
    checkedOn: CHECKED_ON,
    evidence: 'primary-text',
    notes:
      "No commercial telephone solicitation call before 8 a.m. or after 8 p.m. at the called person's " +
      'location, and no more than three such calls to a person in 24 hours on the same subject matter; ' +
      'capped here as three attempts per phone. The hours and cap are in 501.616 (Florida Telemarketing ' +
      'Act), not in 501.059 (the FTSA, whose subsection (8)(a) is about consent to automated calls).',
  },
  {
    name: 'us-ky-calling-hours',
    appliesTo: { regions: ['US-KY'] },
    allowedTime: { default: [{ localTimeFrom: '10:00', localTimeTo: '21:00' }] },
    source: 'KRS 367.46955(3)',
    sourceUrls: ['https://usestello.com/compliance', 'https://www.dropcowboy.com/state-compliance'],
    checkedOn: CHECKED_ON,
    evidence: 'summary',
  },
  {
    name: 'us-la-calling-hours',
    appliesTo: { regions: ['US-LA'] },
    allowedDays: MON_SAT,
    allowedTime: from8to20,
    holidays: { country: 'US', region: 'US-LA' },
    source:
      'Louisiana Public Service Commission Do Not Call Program, General Order R-29617; La. R.S. 45:844.31',
    sourceUrls: [
      'https://lpsc.louisiana.gov/DNC_Emergency',
      'https://www.dropcowboy.com/state-compliance',
      'https://leadmanagerhelp.clickpointsoftware.com/en/articles/5753977-state-calling-hours',
    ],
    checkedOn: CHECKED_ON,
    evidence: 'summary',
    notes:
      "No calls on Sundays or legal holidays, 8 a.m. to 8 p.m. otherwise. The calendar's US-LA public " +
      "list (Mardi Gras, Good Friday, Election Day…) is wider than the PSC's list of no-call holidays, " +
      'which is the safe side; a holiday the governor declares (as on 2023-07-03) must be added as a ' +
      'blackout date. During a declared state of emergency (45:844.31) solicitation is forbidden ' +
      'altogether: add its days as blackout dates.',
  },
  {
    name: 'us-ma-calling-hours',
    appliesTo: { regions: ['US-MA'] },
    allowedTime: from8to20,
    source: 'Mass. Gen. Laws ch. 159C, 201 CMR 12.00',
    sourceUrls: ['https://usestello.com/compliance', 'https://www.dropcowboy.com/state-compliance'],
    checkedOn: CHECKED_ON,
    evidence: 'summary',
  },
  {
    name: 'us-md-calling-hours',
    appliesTo: { regions: ['US-MD'] },
    allowedTime: from8to20,
    maxAttemptsPer24h: 3,
    source: 'Md. Code, Com. Law 14-4502 (Stop the Spam Calls Act of 2023, SB 90, effective 2024-01-01)',
    sourceUrls: [
      'https://www.wmar2news.com/local/law-to-prevent-spam-calls-takes-effect-first-of-the-year',
      'https://www.dnc.com/index.php/news/maryland-governor-signs-stop-spam-calls-act-2023-law',
      'https://lexace.ai/us/statute/maryland/CL-14-4502',
    ],
    checkedOn: CHECKED_ON,
    evidence: 'summary',
    notes:
      "8 a.m. to 8 p.m. in the called party's time zone; at most three calls or texts in 24 hours on the " +
      'same subject to the same called party, capped here as three attempts per phone.',
  },
  {
    name: 'us-ms-calling-hours',
    appliesTo: { regions: ['US-MS'] },
    allowedDays: MON_SAT,
    allowedTime: from8to20,
    source: 'Miss. Code Ann. 77-3-723(1)',
    sourceUrls: [
      'https://getpocketlaw.com/law/state_mississippi/section-77-3-723-rules-for-authorized-calls_57b73fa7ff73',
      'https://www.dnc.com/blog/no-more-holidays-mississippi-marketers-magnolia-state-lifts-prohibition-telemarketing-legal',
    ],
    checkedOn: CHECKED_ON,
    evidence: 'primary-text',
    notes:
      'The statute says 8:00 a.m. to 8:00 p.m. "Central Standard Time" and no calls on Sunday; read here ' +
      "as the callee's wall clock (all of Mississippi is on Central time; during DST, 8 a.m. CST is 9 a.m. " +
      'local: add a stricter rule if you read it literally). The holiday ban was a PSC rule repealed in ' +
      '2023-2024 when enforcement moved to the Attorney General, so no holidays here.',
  },
  {
    name: 'us-ok-calling-hours',
    appliesTo: { regions: ['US-OK'] },
    allowedTime: from8to20,
    maxAttemptsPer24h: 3,
    source: 'Okla. Stat. tit. 15, 775C.4 (Telephone Solicitation Act of 2022, HB 3168, effective 2022-11-01)',
    sourceUrls: [
      'https://24kyc.com/oklahoma-passes-new-telephone-solicitation-act-similar-to-the-federal-tcpa-lerman-senter-pllc/',
      'https://dnc.dreamhosters.com/?p=1309',
      'https://blog.clickpointsoftware.com/federal-and-local-call-time-and-date-compliance',
    ],
    checkedOn: CHECKED_ON,
    evidence: 'summary',
    notes:
      '8 a.m. to 8 p.m. local time; at most three commercial telephonic sales calls in 24 hours on the ' +
      'same subject matter, capped here as three attempts per phone.',
  },
  {
    name: 'us-tx-calling-hours',
    appliesTo: { regions: ['US-TX'] },
    allowedTime: {
      default: [{ localTimeFrom: '09:00', localTimeTo: '21:00' }],
      sun: [{ localTimeFrom: '12:00', localTimeTo: '21:00' }],
    },
    source: 'Tex. Bus. & Com. Code 301.051',
    sourceUrls: ['https://statutes.capitol.texas.gov/Docs/BC/htm/BC.301.htm#301.051'],
    checkedOn: CHECKED_ON,
    evidence: 'summary',
    notes:
      'Monday to Saturday 9 a.m. to 9 p.m., Sunday noon to 9 p.m., as commonly summarised; the statute ' +
      'text itself could not be read when this row was checked, and one summary gives 9 a.m. to 9 p.m. ' +
      'every day (this row is the stricter reading).',
  },
  {
    name: 'us-ut-calling-hours',
    appliesTo: { regions: ['US-UT'] },
    allowedDays: MON_SAT,
    allowedTime: { default: [{ localTimeFrom: '08:00', localTimeTo: '21:00' }] },
    holidays: { country: 'US', region: 'US-UT' },
    source: 'Utah Code 13-25a-103(3)',
    sourceUrls: ['https://codes.findlaw.com/ut/title-13-commerce-and-trade/ut-code-sect-13-25a-103/'],
    checkedOn: CHECKED_ON,
    evidence: 'primary-text',
    notes:
      'Without prior express consent: no telephone solicitation between 9 p.m. and 8 a.m. local time, on ' +
      "a Sunday, or on a legal holiday (the calendar's US-UT public list, Pioneer Day included).",
  },
  {
    name: 'us-wa-calling-hours',
    appliesTo: { regions: ['US-WA'] },
    allowedTime: from8to20,
    source: 'RCW 19.158.040(2)',
    sourceUrls: ['https://app.leg.wa.gov/RCW/default.aspx?cite=19.158.040'],
    checkedOn: CHECKED_ON,
    evidence: 'primary-text',
    notes:
      "No commercial telephone solicitation received before 8 a.m. or after 8 p.m. at the recipient's local time.",
  },
];

/** {@link US_FEDERAL_RULES} followed by {@link US_STATE_RULES}: pass it as the campaign's `rules`. */
export const US_RULES: readonly BuiltInRule[] = [...US_FEDERAL_RULES, ...US_STATE_RULES];
