// Where the unit tests find the workers they spawn: the compiled entries in
// out/src/worker/ (the tests themselves run from out/test/).

import * as path from 'path';

/** out/src/worker/<name>.js, e.g. compiledWorker('analysisWorker'). */
export function compiledWorker(name: string): string {
  return path.join(__dirname, '..', '..', 'src', 'worker', `${name}.js`);
}
