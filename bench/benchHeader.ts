// The first line every benchmark prints: what ran, on which CPU, how many
// cores, and the load average then, so that numbers are read next to the
// machine and its load.

import * as os from 'os';

export function benchHeader(name: string): string {
  const [l1, l5, l15] = os.loadavg();
  return `${name} · ${os.cpus()[0]?.model ?? 'cpu'} × ${os.availableParallelism()} · load ${l1.toFixed(2)} ${l5.toFixed(2)} ${l15.toFixed(2)}`;
}
