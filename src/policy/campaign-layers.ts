import { DialerError, type Issue } from '../errors.js';
import { parseRules } from './parse-rules.js';
import { CampaignRules, NO_CAMPAIGN_RULES } from './phone-rules.js';
import { resolveSchedule } from './resolve.js';
import { campaignDefaultsSchema, issuesFromZod } from './schemas.js';
import type { PolicyFields } from './types.js';

/**
 * The layers over every entry, as a campaign's options give them (spec sections 10 and 12): `defaults`
 * validated like an entry (issues from `['defaults']`; start before finish read on the defaults alone,
 * in their zone, else UTC) and `rules` validated (issues from `['rules', i]`). Problems go to `issues`;
 * what is bad reads as absent.
 */
export function readCampaignLayers(
  defaultsValue: unknown,
  rulesValue: unknown,
  issues: Issue[],
): { readonly defaults: PolicyFields; readonly defaultsValid: boolean; readonly rules: CampaignRules } {
  let rules = NO_CAMPAIGN_RULES;
  try {
    const parsed = parseRules(rulesValue);
    if (parsed.length > 0) rules = new CampaignRules(parsed);
  } catch (error) {
    if (!(error instanceof DialerError)) throw error;
    issues.push(...error.issues);
  }
  const parsed = campaignDefaultsSchema.safeParse(defaultsValue ?? {});
  if (!parsed.success) {
    issues.push(...issuesFromZod(parsed.error, undefined, ['defaults']));
    return { defaults: {}, defaultsValid: false, rules };
  }
  try {
    resolveSchedule(parsed.data);
  } catch (error) {
    if (!(error instanceof DialerError)) throw error;
    issues.push(...error.issues.map((issue) => ({ ...issue, path: ['defaults', ...issue.path] })));
  }
  return { defaults: parsed.data, defaultsValid: true, rules };
}
