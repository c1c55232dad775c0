import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The API's Prometheus metrics, on a registry of its own (so two apps in one process, as in
 * tests, do not collide). Requests are counted here; the rest are fed by whoever knows them:
 * actions taken, letters issued, how far the ledger projection lags.
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
  readonly letters = new Counter({
    name: 'reform_letters_total',
    help: 'Letters issued, by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly projectionLag = new Gauge({
    name: 'reform_projection_lag_seconds',
    help: 'Seconds between a change in a plan and its ledger projection (last observed)',
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'reform_' });
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.duration.observe({ method, route }, seconds);
  }
}
