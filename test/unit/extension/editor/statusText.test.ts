import * as assert from 'assert';
import { labelName, statusText } from '../../../../src/extension/editor/statusText';

describe('status bar text', () => {
  const base = { colouring: true, mode: 'activation' as const, cell: 'L0 #12', signal: 'c' };
  it('shows model, cell and signal; surprisal mode; loading; notices; progress; always says LSTM Lens', () => {
    assert.strictEqual(statusText({ ...base, modelName: 'default' }), '$(pulse) LSTM Lens: L0 #12 c · default');
    assert.strictEqual(
      statusText({ ...base, modelName: 'default', mode: 'surprisal' }),
      '$(pulse) LSTM Lens: surprisal · default',
    );
    assert.strictEqual(
      statusText({ ...base, modelName: 'default', colouring: false }),
      '$(eye-closed) LSTM Lens: L0 #12 c · default',
    );
    assert.strictEqual(statusText({ ...base, loading: 'default' }), '$(loading~spin) LSTM Lens: loading default…');
    assert.strictEqual(statusText({ ...base }), '$(pulse) LSTM Lens');
    assert.strictEqual(
      statusText({ ...base, modelName: 'm', notice: 'too large' }),
      '$(circle-slash) LSTM Lens: not coloured · m',
    );
    assert.strictEqual(
      statusText({ ...base, modelName: 'm', progress: 0.426 }),
      '$(pulse) LSTM Lens: L0 #12 c · m · 42%',
    );
    assert.strictEqual(statusText({ ...base, modelName: 'm', progress: 1 }), '$(pulse) LSTM Lens: L0 #12 c · m');
  });

  it('names the cell’s label without its scores', () => {
    assert.strictEqual(
      statusText({ ...base, modelName: 'default', label: 'quote detector (r = 0.50, φ = 0.74, F1 = 0.76)' }),
      '$(pulse) LSTM Lens: L0 #12 c · quote detector · default',
    );
    assert.strictEqual(
      statusText({ ...base, modelName: 'default', mode: 'surprisal', label: 'quote detector (r = 0.5)' }),
      '$(pulse) LSTM Lens: surprisal · default',
    );
    assert.strictEqual(labelName('line start'), 'line start');
  });
});
