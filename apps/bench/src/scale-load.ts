import { daysInMonth, fromParts, LocalDate, toParts } from '@reform/calendar';
import { request } from 'node:http';
import { pool, sleep } from './stats';

export interface Reply {
  status: number;
  json: Record<string, unknown>;
}

/**
 * One request from a client address of its own (127.0.1.x: the API throttles by address), with
 * its X-Request-Id when given (the same on every try of one request: the API does it once).
 */
export function call(url: string, client: number, method: string, path: string, token?: string, body?: unknown, requestId?: string): Promise<Reply> {
  const target = new URL(path, url);
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const headers: Record<string, string | number> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (requestId) headers['x-request-id'] = requestId;
  if (data) Object.assign(headers, { 'content-type': 'application/json', 'content-length': data.length });
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, path: target.pathname, method, headers, localAddress: `127.0.1.${(client % 250) + 1}`, timeout: 120_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let json: Record<string, unknown> = {};
        try {
          json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        } catch {
          // not JSON: the status says enough
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(data);
  });
}

/**
 * The six actions that take a plan that is not major from drafting to filing (rules/standard/
 * reform-plan.rules): by the demo unit of each role. `issue` records `issued`, which opens the
 * filing deadline (one month, A9), and since the business date is in the past it is overdue at
 * once: the plan's 督办函 falls due the moment `issue` lands.
 */
export const WALK: Array<[user: string, action: string, stage: string]> = [
  ['demo-ndrc', 'submit_draft', 'research'],
  ['demo-ndrc', 'complete_research', 'special_group_review'],
  ['demo-econ', 'pass_special_group_review', 'legality_review'],
  ['demo-legal', 'pass_legality_review', 'other_deliberation'],
  ['demo-econ', 'approve_special_group_meeting', 'issuance'],
  ['demo-ndrc', 'issue', 'filing'],
];
export const USERS = ['demo-ndrc', 'demo-econ', 'demo-legal', 'demo-reform'];

export interface Wave {
  /** The month whose filing deadlines the wave's plans have (YYYY-MM). */
  dueMonth: string;
  /** The plans' registration and business date: one month before their filing is due. */
  issuedOn: LocalDate;
  share: number;
}

/**
 * Deadlines in waves: the plans' filing deadlines fall in the six months up to the latest
 * 30 June before today, one wave a month, the mid-year round (30 June) the peak with half the
 * plans (S3: mid-year concentrated supervision). All in the past, so every walked plan's
 * supervision letter falls due during the run, wave after wave.
 */
export function waves(today: LocalDate): Wave[] {
  const t = toParts(today);
  const year = t.month >= 7 ? t.year : t.year - 1;
  return [1, 2, 3, 4, 5, 6].map((month) => {
    const prev = month === 1 ? { year: year - 1, month: 12 } : { year, month: month - 1 };
    // Issued on the 30th (or the month's last day): due one month later, 30 June for the peak.
    const issuedOn = fromParts({ ...prev, day: Math.min(30, daysInMonth(prev.year, prev.month)) });
    return { dueMonth: `${year}-${String(month).padStart(2, '0')}`, issuedOn, share: month === 6 ? 0.5 : 0.1 };
  });
}

export interface PlanRun {
  id?: string;
  wave: number;
  walked: boolean;
  /** Send times (epoch ms) of the plan's requests that changed it: the moments a letter may fall due from. */
  sent: number[];
  /** Stage reached by the walk. */
  stage?: string;
  failed?: string;
}

export interface LoadFigures {
  registrations: number;
  actions: number;
  retries: number;
  /**
   * Actions answered 404 and sent again: the API finds a plan in scope through its ledger row,
   * which the worker writes after the workflow changed; while a fault holds that write up, a plan
   * just registered is not found yet.
   */
  notFoundRetries: number;
  /**
   * Registrations sent more than once (an answer lost to a fault): each with the same X-Request-Id,
   * so the API registers the plan once and answers it again (the checks would find a second one).
   */
  ambiguousRegistrations: number;
  failures: string[];
  ms: number;
}

export interface LoadArgs {
  apis: string[];
  tokens: Record<string, string>;
  plans: PlanRun[];
  waves: Wave[];
  concurrency: number;
  log: (line: string) => void;
  /** Share of the work done, for the faults' timing. */
  onProgress: (done: number) => void;
}

const retryable = (status: number) => status === 0 || status >= 500 || status === 429;

/**
 * Registers every plan and walks the chosen ones, wave by wave, round robin over the APIs,
 * `concurrency` plans at a time. A request the faults break (no answer, 5xx) is sent again for up
 * to five minutes, and so is an action answered 404 (the plan's ledger row not written yet); an
 * action whose first try landed and whose retry is refused counts as done when the plan stands
 * where the action leads.
 */
export async function runLoad(args: LoadArgs): Promise<LoadFigures> {
  const figures: LoadFigures = { registrations: 0, actions: 0, retries: 0, notFoundRetries: 0, ambiguousRegistrations: 0, failures: [], ms: 0 };
  const total = args.plans.reduce((n, p) => n + 1 + (p.walked ? WALK.length : 0), 0);
  let done = 0;
  let turn = 0;
  // Each request's id, the same on its every try (the API answers a repeat from what the first did).
  const run = Date.now().toString(36);
  const send = async (user: string, client: number, method: string, path: string, body?: unknown, notFoundRetries = false, requestId?: string): Promise<{ reply: Reply; tries: number }> => {
    const until = Date.now() + 300_000;
    for (let tries = 1; ; tries++) {
      const api = args.apis[turn++ % args.apis.length];
      let reply: Reply;
      try {
        reply = await call(api, client, method, path, args.tokens[user], body, requestId);
      } catch {
        reply = { status: 0, json: {} };
      }
      const notYet = notFoundRetries && reply.status === 404;
      if ((!retryable(reply.status) && !notYet) || Date.now() > until) return { reply, tries };
      if (notYet) figures.notFoundRetries++;
      else figures.retries++;
      await sleep(1_000);
    }
  };
  const started = Date.now();
  for (const [w, wave] of args.waves.entries()) {
    const mine = args.plans.map((p, i) => [p, i] as const).filter(([p]) => p.wave === w);
    args.log(`wave ${wave.dueMonth}: ${mine.length} plans (${mine.filter(([p]) => p.walked).length} walked), issued ${wave.issuedOn}`);
    await pool(mine.length, args.concurrency, async (k) => {
      const [plan, i] = mine[k];
      plan.sent.push(Date.now());
      const reg = await send('demo-ndrc', i, 'POST', '/api/plans', {
        procedure: 'reform_plan',
        title: `关于规模验证的实施方案之${i + 1}`,
        specialGroupId: 'demo-econ',
        responsibleLeader: '王副省长',
        responsiblePerson: '李明',
        registeredOn: wave.issuedOn,
      }, false, `scale-${run}-register-${i}`);
      done++;
      args.onProgress(done / total);
      if (reg.reply.status !== 201) {
        plan.failed = `register: ${reg.reply.status} ${JSON.stringify(reg.reply.json.error ?? '')}`;
        figures.failures.push(`plan ${i + 1} ${plan.failed}`);
        return;
      }
      if (reg.tries > 1) figures.ambiguousRegistrations++;
      figures.registrations++;
      plan.id = String(reg.reply.json.planId);
      plan.stage = 'drafting';
      if (!plan.walked) return;
      for (const [user, action, stage] of WALK) {
        plan.sent.push(Date.now());
        const r = await send(user, i, 'POST', `/api/plans/${plan.id}/actions`, { action, businessDate: wave.issuedOn }, true, `scale-${run}-${i}-${action}`);
        done++;
        args.onProgress(done / total);
        let landed = r.reply.status === 200 && (r.reply.json.stage as { id?: string } | undefined)?.id === stage;
        if (!landed && r.tries > 1) {
          // The first try may have landed before its answer was lost: the plan says.
          const d = await send(user, i, 'GET', `/api/plans/${plan.id}`, undefined, true);
          landed = (d.reply.json.plan as { stage?: { id?: string } } | undefined)?.stage?.id === stage;
        }
        if (!landed) {
          plan.failed = `${action}: ${r.reply.status} ${JSON.stringify(r.reply.json.error ?? r.reply.json.stage ?? '')}`;
          figures.failures.push(`${plan.id} ${plan.failed}`);
          return;
        }
        figures.actions++;
        plan.stage = stage;
      }
    });
  }
  figures.ms = Date.now() - started;
  return figures;
}

/** Which plans are walked: every k-th, so each wave walks its share. */
export function planRuns(count: number, ws: Wave[], walkShare: number): PlanRun[] {
  const runs: PlanRun[] = [];
  let walkedSoFar = 0;
  for (const [w, wave] of ws.entries()) {
    const n = w === ws.length - 1 ? count - runs.length : Math.round(count * wave.share);
    for (let k = 0; k < n; k++) {
      const walked = Math.floor((runs.length + 1) * walkShare) > walkedSoFar;
      if (walked) walkedSoFar++;
      runs.push({ wave: w, walked, sent: [] });
    }
  }
  return runs;
}
