export type { AsyncCampaign } from '../engine/async-campaign.js';
export type { PostgresCampaignOptions } from './open-options.js';
export { PostgresCampaign } from './postgres-campaign.js';
export { ReportWrittenError } from './report-written-error.js';
export { MIGRATIONS, migrate } from './schema.js';
