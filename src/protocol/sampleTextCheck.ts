// Checks the sample texts a worker job carries (discovery, cell page): the
// job comes from the host, but a malformed one must fail with a message that
// says what is wrong, not deep inside the engine.

import type { SampleText } from '../core/analysis/cacheKey';

export function checkSampleTexts(texts: readonly SampleText[]): void {
  for (const t of texts) {
    if (typeof t?.name !== 'string' || typeof t.text !== 'string' || typeof t.language !== 'string')
      throw new Error('each sample text needs { name, text, language } strings');
  }
}
