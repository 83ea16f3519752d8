import { parseWrk, postScript, wrkTimeMs } from '../src/baselines/wrk';

const OUTPUT = `Running 10s test @ http://127.0.0.1:41000/api/v1/orders
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.02ms  412.10us  18.33ms   91.20%
    Req/Sec     7.91k   610.12     9.02k    70.00%
  Latency Distribution
     50%  955.00us
     75%    1.10ms
     90%    1.40ms
     99%    2.50ms
  157412 requests in 10.00s, 25.66MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:  15738.61
Transfer/sec:      2.57MB
`;

describe('wrk', () => {
  test('its report gives requests/s, the latency distribution in ms, errors and non-2xx answers', () => {
    expect(parseWrk(OUTPUT)).toEqual({
      requests: 157412,
      requestsPerSecond: 15738.61,
      latencyMs: { '50': 0.955, '75': 1.1, '90': 1.4, '99': 2.5 },
      non2xx: 4,
      socketErrors: 3,
    });
  });

  test('an output without its totals is an error, not zeros', () => {
    expect(() => parseWrk('unable to connect to 127.0.0.1:1 Connection refused')).toThrow(
      /unexpected wrk output/,
    );
  });

  test('times carry their unit', () => {
    expect(wrkTimeMs('1.50s')).toBe(1500);
    expect(wrkTimeMs('2m')).toBe(120_000);
    expect(() => wrkTimeMs('12')).toThrow();
  });

  test('the POST script holds the body verbatim, even one containing a closing long bracket', () => {
    const body = '{"note":"a ]] b ]=] c"}';
    const script = postScript(body);
    expect(script).toContain('wrk.method = "POST"');
    expect(script).toContain(`wrk.body = [==[${body}]==]`);
  });
});
