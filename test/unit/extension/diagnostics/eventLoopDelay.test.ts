import * as assert from 'assert';
import { EventLoopDelayMeter, formatEventLoopDelay } from '../../../../src/extension/diagnostics/eventLoopDelay';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const busy = (ms: number): void => {
  const end = Date.now() + ms;
  while (Date.now() < end);
};

describe('EventLoopDelayMeter', () => {
  it('sees a 150 ms block as a delay of about 150 ms, and an idle loop as none', async () => {
    const meter = new EventLoopDelayMeter(10);
    meter.start();
    await sleep(300);
    busy(150);
    await sleep(300);
    const r = meter.stop();
    assert.ok(r.max >= 130 && r.max < 400, `max ${r.max}`);
    assert.ok(r.p50 < 10, `p50 ${r.p50}`);
    assert.ok(r.ticks >= 20, `ticks ${r.ticks}`);
    assert.ok(r.seconds >= 0.7 && r.seconds < 5, `seconds ${r.seconds}`);
  });

  it('measures only between start and stop', async () => {
    const meter = new EventLoopDelayMeter(10);
    busy(120);
    meter.start();
    await sleep(200);
    const r = meter.stop();
    assert.ok(r.max < 100, `max ${r.max}: the block before start() is not counted`);
    assert.strictEqual(meter.running, false);
    assert.throws(() => meter.stop(), /not running/);
  });

  it('refuses a resolution that is not a whole number of milliseconds', () => {
    assert.throws(() => new EventLoopDelayMeter(0), /resolution/);
    assert.throws(() => new EventLoopDelayMeter(2.5), /resolution/);
  });

  it('formats a report in milliseconds', () => {
    const text = formatEventLoopDelay({ seconds: 12.34, ticks: 1180, p50: 0.21, p99: 3.14, max: 12, mean: 0.4 });
    assert.strictEqual(
      text,
      'event-loop delay over 12.3 s (1,180 ticks): p50 0.2 ms, p99 3.1 ms, max 12.0 ms, mean 0.4 ms',
    );
  });
});
