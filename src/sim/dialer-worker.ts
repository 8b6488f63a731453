/**
 * A dialer process of `dialer-sim run --backend postgres --workers K`, forked by `worker-pool.ts`: its
 * share of the lines, dialing the campaign that all workers open by name, moved instant by instant by
 * the coordinator's requests (`worker-protocol.ts`). It tells the coordinator every dial and redial;
 * the coordinator keeps the metrics, the call log and the checks.
 */
import { DialerError } from '../index.js';
import { PostgresCampaign } from '../postgres/index.js';
import { DialerLines, outcomeRandom } from './dialer-lines.js';
import { OutcomeModel } from './outcome-model.js';
import type { DialRecord, RedialRecord, WorkerReply, WorkerRequest } from './worker-protocol.js';

let campaign: PostgresCampaign | undefined;
let lines: DialerLines | undefined;
let leaseRecoveries = 0;
const dials: DialRecord[] = [];
const redials: RedialRecord[] = [];

/** Sends `reply`; after the last one (`closed`), lets go of the channel once it is written. */
function send(reply: WorkerReply): void {
  process.send?.(reply, undefined, {}, () => {
    if (reply.type === 'closed') process.disconnect();
  });
}

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  switch (request.type) {
    case 'open': {
      campaign = await PostgresCampaign.open({
        connectionString: request.connectionString,
        name: request.name,
        poolSize: 2,
      });
      campaign.on('leaseExpired', () => {
        leaseRecoveries++;
      });
      const model = new OutcomeModel(outcomeRandom(request.seed, request.index), request.rates);
      lines = new DialerLines(campaign, request.lines, model, {
        dialed: (task, atMs, call) => dials.push({ task, atMs, call }),
        redialed: (childId, parent, params) => redials.push({ childId, parent, params }),
      });
      return { type: 'opened' };
    }
    case 'report': {
      const group = opened();
      await group.report(request.atMs);
      return {
        type: 'reported',
        redials: redials.splice(0),
        freeLines: group.freeLines,
        nextEndMs: group.nextEndMs,
      };
    }
    case 'dial': {
      const group = opened();
      await group.dial(request.atMs);
      return {
        type: 'dialed',
        dials: dials.splice(0),
        freeLines: group.freeLines,
        nextEndMs: group.nextEndMs,
      };
    }
    case 'close': {
      const totals = await opened().close();
      await campaign?.close();
      return {
        type: 'closed',
        totals: { ...totals, leaseRecoveries: leaseRecoveries + totals.leaseRecoveries },
      };
    }
    default: {
      const never: never = request;
      throw new Error(`unknown request ${JSON.stringify(never)}`);
    }
  }
}

function opened(): DialerLines {
  if (lines === undefined) throw new Error('the worker was asked to dial before it opened the campaign');
  return lines;
}

function failure(error: unknown): WorkerReply {
  if (error instanceof DialerError) {
    return {
      type: 'failed',
      message: error.message,
      issues: error.issues,
      omittedIssues: error.omittedIssues,
    };
  }
  return { type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}

// Requests come one at a time; the chain keeps them in order even if one arrived early.
let queue = Promise.resolve();
process.on('message', (request: WorkerRequest) => {
  queue = queue.then(async () => {
    let reply: WorkerReply;
    try {
      reply = await handle(request);
    } catch (error) {
      reply = failure(error);
    }
    send(reply);
  });
});
// The coordinator is gone (it ended, or died): nothing is left to do.
process.on('disconnect', () => {
  void campaign?.close().finally(() => process.exit(0));
  if (campaign === undefined) process.exit(0);
});
