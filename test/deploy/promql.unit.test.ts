import { metricNames } from './lib/promql';

describe('metricNames (PromQL)', () => {
  it('given a rate over a counter with matchers and a Grafana interval, then only the counter', () => {
    expect(
      metricNames(
        'sum by (stream, group) (rate(bus_events_consumed_total{group=~"$group", x="a{b}"}[$__rate_interval]))',
      ),
    ).toEqual(['bus_events_consumed_total']);
  });

  it('given a histogram quantile, then the _bucket series and not the function names', () => {
    expect(
      metricNames('histogram_quantile(0.95, sum by (le) (rate(ws_push_latency_seconds_bucket[5m])))'),
    ).toEqual(['ws_push_latency_seconds_bucket']);
  });

  it('given a binary expression with on/ignoring and offset, then both sides', () => {
    expect(
      metricNames(
        'sum(rate(a_total[1m] offset 5m)) / ignoring(code) group_left sum(rate(b_total[1m])) * 60 > bool 1e3',
      ),
    ).toEqual(['a_total', 'b_total']);
  });

  it('given a bare gauge and keywords that look like names, then just the gauge', () => {
    expect(metricNames('max(bus_group_lag) or vector(0) unless on() up == 0')).toEqual([
      'bus_group_lag',
      'up',
    ]);
  });

  it('given a subquery, then the inner metric', () => {
    expect(metricNames('max_over_time(rate(orders_created_total[1m])[1h:1m])')).toEqual([
      'orders_created_total',
    ]);
  });
});
