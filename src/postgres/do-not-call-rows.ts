import type { CampaignTx } from './campaign-tx.js';

/**
 * The do-not-call list in the `do_not_call` table (spec section 12). Every call that adds jobs, and
 * `blockPhones`, holds the campaign row's lock (`begin` with `lockCampaign`), so a block and an add
 * are serialized: the add either commits first (and the block's cancel, reading after it, ends its
 * jobs) or reads the list after the block committed. The lock order is the campaign row, then job rows,
 * as in every call that takes both; phone rows are not needed.
 */

/** Which of these phones (digits) are on the list. */
export async function listedPhones(tx: CampaignTx, digits: readonly string[]): Promise<Set<string>> {
  if (digits.length === 0) return new Set();
  const { s, campaignId } = tx.ctx;
  const result = await tx.query<{ digits: string }>(
    `SELECT digits FROM ${s}.do_not_call WHERE campaign_id = $1 AND digits = ANY($2::text[])`,
    [campaignId, [...new Set(digits)]],
  );
  return new Set(result.rows.map((row) => row.digits));
}

/** The digits of phone row `phoneId`, and whether they are on the list. */
export async function phoneListing(
  tx: CampaignTx,
  phoneId: number,
): Promise<{ readonly digits: string; readonly listed: boolean }> {
  const { s, campaignId } = tx.ctx;
  const result = await tx.query<{ digits: string; listed: boolean }>(
    `SELECT p.digits, EXISTS (SELECT 1 FROM ${s}.do_not_call d WHERE d.campaign_id = $1 AND d.digits = p.digits) AS listed
    FROM ${s}.phones p WHERE p.id = $2`,
    [campaignId, phoneId],
  );
  return result.rows[0]!;
}

/** Puts phones on the list (those already on it stay). */
export async function addListed(tx: CampaignTx, digits: readonly string[]): Promise<void> {
  if (digits.length === 0) return;
  const { s, campaignId } = tx.ctx;
  await tx.query(
    `INSERT INTO ${s}.do_not_call (campaign_id, digits) SELECT $1, d FROM unnest($2::text[]) d
    ON CONFLICT DO NOTHING`,
    [campaignId, digits],
  );
}

/** Takes phones off the list; returns those that were on it, in the order given. */
export async function removeListed(tx: CampaignTx, digits: readonly string[]): Promise<string[]> {
  if (digits.length === 0) return [];
  const { s, campaignId } = tx.ctx;
  const result = await tx.query<{ digits: string }>(
    `DELETE FROM ${s}.do_not_call WHERE campaign_id = $1 AND digits = ANY($2::text[]) RETURNING digits`,
    [campaignId, digits],
  );
  const removed = new Set(result.rows.map((row) => row.digits));
  return digits.filter((phone) => removed.has(phone));
}
