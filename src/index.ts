export type { AsyncCampaign } from './engine/async-campaign.js';
export { asyncCampaign } from './engine/async-campaign.js';
export { Campaign } from './engine/campaign.js';
export type { DoNotCall } from './engine/do-not-call.js';
export type { CampaignEvent, CampaignEventType, CampaignListener } from './engine/events.js';
export { EVENT_TYPES } from './engine/events.js';
export type { JobExplanation, JobReasonCode } from './engine/explain-job.js';
export type { JobState } from './engine/job-state.js';
export { JOB_STATES } from './engine/job-state.js';
export type { CampaignOptions } from './engine/options.js';
export type { CampaignSnapshot } from './engine/snapshot.js';
export type {
  AddPhonesOptions,
  AddPhonesResult,
  CallTask,
  CampaignStats,
  CancelSelection,
  JobView,
} from './engine/types.js';
export type { Issue, IssueCode } from './errors.js';
export { DialerError, formatIssue, formatIssues, MAX_ISSUES } from './errors.js';
export type { CallWindowOptions } from './policy/call-window.js';
export { isCallAllowed, nextCallWindow } from './policy/call-window.js';
export type { BlockReason, CallExplanation, PolicyReasonCode } from './policy/explain-call.js';
export { explainCall } from './policy/explain-call.js';
export type { ForecastOptions, ForecastReason, ForecastResult } from './policy/forecast.js';
export { FORECAST_EXAMPLES, forecast } from './policy/forecast.js';
export type { ZoneResolver } from './policy/parse-entries.js';
export type { ParsedRedialParams, ValidationOptions } from './policy/schemas.js';
export {
  addPhonesEntrySchema,
  campaignDefaultsSchema,
  redialParamsSchema,
} from './policy/schemas.js';
export type {
  AllowedTime,
  DateTimeValue,
  EntryInput,
  JsonValue,
  ParsedEntry,
  PolicyFields,
  PolicyInput,
  TimeInterval,
  TimeIntervalInput,
  Weekday,
} from './policy/types.js';
export type {
  BuiltInRule,
  CallingRule,
  HolidayCalendarRef,
  HolidayType,
  RuleEvidence,
  RulePlaces,
} from './rules/rule-types.js';
export { US_FEDERAL_RULES, US_RULES, US_STATE_RULES } from './rules/us-rules.js';
export type { CallWindow } from './schedule/call-schedule.js';
export type { GmtZone } from './schedule/gmt-zone.js';
export { parseGmtZone } from './schedule/gmt-zone.js';
export { MAX_INSTANT_MS } from './schedule/instant.js';
export { WEEKDAYS } from './schedule/weekly-rules.js';
