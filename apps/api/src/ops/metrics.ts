import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What the API reads at each scrape: facts other processes (the workers) write into the database. */
export interface MetricSources {
  /** Letters written so far, by kind. */
  letterCounts(): Promise<Array<{ kind: string; count: number }>>;
  /** Seconds from a plan's latest change to its ledger write, for the latest write; null when nothing is projected yet. */
  projectionLag(): Promise<number | null>;
  /** Where a source that cannot be read is reported (the scrape answers with the last values). */
  onError?(metric: string, error: unknown): void;
}

/**
 * The API's Prometheus metrics, on a registry of its own (so two apps in one process, as in
 * tests, do not collide). Requests are counted here; actions by the plan desk (platform.ts);
 * letters issued and how far the ledger projection lags are read from the database at each
 * scrape (readFrom), where the workers write them.
 */
export class ApiMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'reform_http_requests_total',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'reform_http_request_duration_seconds',
    help: 'HTTP request latency by method and route template',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly actions = new Counter({
    name: 'reform_actions_total',
    help: 'Actions taken on plans, by procedure, action and outcome (taken, refused)',
    labelNames: ['procedure', 'action', 'outcome'] as const,
    registers: [this.registry],
  });
  private sources?: MetricSources;
  readonly letters = new Counter({
    name: 'reform_letters_total',
    help: 'Letters issued, by kind (as written to the database by every worker)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
    collect: () => this.readLetters(),
  });
  readonly projectionLag = new Gauge({
    name: 'reform_projection_lag_seconds',
    help: 'Seconds between a change in a plan and its ledger projection (last observed)',
    registers: [this.registry],
    collect: () => this.readProjectionLag(),
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'reform_' });
  }

  /**
   * Letters and projection lag come from the database at each scrape: the workers that write
   * them run in processes of their own. Without sources they stay at zero.
   */
  readFrom(sources: MetricSources): void {
    this.sources = sources;
  }

  /** The letters counter set to the database's counts (a count of rows that are never deleted only grows). */
  private async readLetters(): Promise<void> {
    if (!this.sources) return;
    let counts: Array<{ kind: string; count: number }>;
    try {
      counts = await this.sources.letterCounts();
    } catch (e) {
      this.sources.onError?.('reform_letters_total', e);
      return;
    }
    this.letters.reset();
    for (const { kind, count } of counts) this.letters.inc({ kind }, count);
  }

  private async readProjectionLag(): Promise<void> {
    if (!this.sources) return;
    try {
      const seconds = await this.sources.projectionLag();
      if (seconds !== null) this.projectionLag.set(seconds);
    } catch (e) {
      this.sources.onError?.('reform_projection_lag_seconds', e);
    }
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.duration.observe({ method, route }, seconds);
  }
}
