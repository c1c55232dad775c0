import { LETTER_KIND_LABEL } from '@reform/definitions';
import { backoffMs, ClaimedDelivery, OutboxStore, RECIPIENT_LABELS, RecipientRelation } from '@reform/persistence';
import type { DataSource } from 'typeorm';

export interface DelivererOptions {
  /** Where notifications go (REFORM_NOTIFY_URL); none: the deliverer does not run and rows wait, pending. */
  url?: string;
  /** Who holds a lease (host and process). */
  owner: string;
  /** Rows claimed per pass. */
  batch?: number;
  /** How long one request may take. */
  timeoutMs?: number;
  /** How long a claim is held: long enough for a whole batch to time out; after it another deliverer may take the rows. */
  leaseMs?: number;
  /** Wait between passes that found nothing to do. */
  pollMs?: number;
  /** The first retry's delay; each further failure doubles it, up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  now?: () => Date;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

/** The header a receiver deduplicates on (both names: robots read the first, our own receivers the second). */
export const DELIVERY_KEY_HEADERS = ['Idempotency-Key', 'X-Reform-Delivery-Key'] as const;

/** A notification in the shape of 企业微信 / 钉钉 group robots' markdown messages. */
export function notificationOf(d: ClaimedDelivery): { msgtype: 'markdown'; markdown: { title: string; content: string } } {
  const kind = (LETTER_KIND_LABEL as Record<string, string>)[d.kind] ?? d.kind;
  const unit = d.unitName ?? d.unitId;
  const lines = [
    `### ${kind} ${d.number}`,
    `> **${d.subject}**`,
    `- 收文单位:${unit}${d.relation ? `(${RECIPIENT_LABELS[d.relation as RecipientRelation] ?? d.relation})` : ''}`,
    `- 发文日期:${d.issuedOn}`,
    `- 办理时限:${d.limitDate ?? '无'}`,
    ...(d.signBy ? [`- 请于 ${d.signBy} 前签收`] : []),
  ];
  return { msgtype: 'markdown', markdown: { title: `${kind} ${d.number}`, content: lines.join('\n') } };
}

/**
 * Delivers the letters' outbox as notifications to one HTTP endpoint: at least once (a row is
 * done only when the receiver answered 2xx with no robot error code), retried with exponential
 * back-off (attempts, next attempt and last error kept on the row), each request carrying the
 * row's delivery key so the receiver drops a repeat. Rows are claimed under a lease (OutboxStore),
 * so deliverers in several processes never send a row at the same time; one that dies loses its
 * lease when it expires and another sends the row again.
 */
export class OutboxDeliverer {
  private readonly store: OutboxStore;
  private running?: Promise<void>;
  private stopping = false;
  private wake?: () => void;
  readonly o: Required<Omit<DelivererOptions, 'url' | 'log'>> & Pick<DelivererOptions, 'url' | 'log'>;

  constructor(ds: DataSource, options: DelivererOptions) {
    this.store = new OutboxStore(ds);
    const batch = options.batch ?? 20;
    const timeoutMs = options.timeoutMs ?? 10_000;
    this.o = {
      batch,
      timeoutMs,
      leaseMs: options.leaseMs ?? batch * timeoutMs + 30_000,
      pollMs: options.pollMs ?? 2_000,
      backoffMs: options.backoffMs ?? 5_000,
      maxBackoffMs: options.maxBackoffMs ?? 30 * 60_000,
      now: options.now ?? (() => new Date()),
      owner: options.owner,
      url: options.url,
      log: options.log,
    };
  }

  get configured(): boolean {
    return !!this.o.url;
  }

  /** One pass: claims what is due and sends each; answers how many it delivered. */
  async deliverDue(): Promise<{ claimed: number; delivered: number }> {
    if (!this.o.url) return { claimed: 0, delivered: 0 };
    const claimed = await this.store.claim(this.o.owner, this.o.now(), this.o.leaseMs, this.o.batch);
    let delivered = 0;
    for (const d of claimed) {
      const error = await this.send(d);
      if (error === undefined) {
        await this.store.delivered(d.deliveryKey, this.o.owner, this.o.now());
        delivered++;
      } else {
        const next = new Date(this.o.now().getTime() + backoffMs(d.attempts + 1, this.o.backoffMs, this.o.maxBackoffMs));
        await this.store.failed(d.deliveryKey, this.o.owner, error, next);
        this.o.log?.('warn', 'letter notification failed, will retry', { deliveryKey: d.deliveryKey, attempt: d.attempts + 1, next: next.toISOString(), error });
      }
    }
    return { claimed: claimed.length, delivered };
  }

  /** Sends one notification; undefined when the receiver accepted it, otherwise what went wrong (kept on the row). */
  private async send(d: ClaimedDelivery): Promise<string | undefined> {
    try {
      const res = await fetch(this.o.url!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...Object.fromEntries(DELIVERY_KEY_HEADERS.map((h) => [h, d.deliveryKey])) },
        body: JSON.stringify(notificationOf(d)),
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
      const text = await res.text();
      if (!res.ok) return `HTTP ${res.status}: ${text.slice(0, 200)}`;
      // Robots answer 200 with an error code in the body ({"errcode":93000,…}).
      try {
        const body = JSON.parse(text) as { errcode?: unknown };
        if (typeof body?.errcode === 'number' && body.errcode !== 0) return `errcode ${body.errcode}: ${text.slice(0, 200)}`;
      } catch {
        // Not JSON: the status said yes.
      }
      return undefined;
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      return `${e instanceof Error ? e.message : String(e)}${cause ? ` (${cause.code ?? cause.message})` : ''}`;
    }
  }

  /** Runs passes until stop(): at once while there is work, otherwise every pollMs. Does nothing without a URL. */
  start(): void {
    if (this.running || !this.o.url) return;
    this.stopping = false;
    this.running = (async () => {
      while (!this.stopping) {
        let claimed = 0;
        try {
          ({ claimed } = await this.deliverDue());
        } catch (e) {
          this.o.log?.('error', 'outbox pass failed', { error: e instanceof Error ? e.message : String(e) });
        }
        if (claimed === 0 && !this.stopping) await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, this.o.pollMs);
          this.wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
      }
    })();
  }

  /** Ends the loop after the pass under way (its claims are completed or given back as failures). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = undefined;
  }
}
