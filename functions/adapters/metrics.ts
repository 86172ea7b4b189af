import { Metrics as PowertoolsMetrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Metrics } from '../ports';
import { METRIC_NAMESPACE, METRIC_SERVICE, type MetricName } from '../shared/metric-names';
import { printTo, type LogSink } from './logger';

// The one `service` dimension every metric carries (Powertools adds it): the name the alarms select.
export { METRIC_SERVICE };

/**
 * Powertools Metrics behind the `metrics` port: counts are buffered and written as one EMF line per
 * invocation (`flush`, called by the handler wiring), which CloudWatch turns into metrics in Lambda.
 * Locally the same lines go to the runtime's log, and `totals` counts since start for /dev/metrics.
 */
export class EmfMetrics implements Metrics {
  private readonly emf: PowertoolsMetrics;
  readonly totals = new Map<MetricName, number>();

  constructor(options: { sink?: LogSink; warn?: (message: string) => void } = {}) {
    const warn = options.warn ?? (() => {});
    this.emf = new PowertoolsMetrics({
      namespace: METRIC_NAMESPACE,
      serviceName: METRIC_SERVICE,
      // Powertools' own warnings (never the metrics) go through the caller's logger, as JSON.
      logger: { info: () => {}, debug: () => {}, warn, error: warn },
    });
    if (options.sink) printTo(this.emf, options.sink);
  }

  count(name: MetricName, n = 1): void {
    this.emf.addMetric(name, MetricUnit.Count, n);
    this.totals.set(name, (this.totals.get(name) ?? 0) + n);
  }

  /** Writes what this invocation counted; nothing at all when it counted nothing (no empty EMF line). */
  flush(): void {
    if (this.emf.hasStoredMetrics()) this.emf.publishStoredMetrics();
  }
}
