import * as assert from 'assert';
import { MessageType } from '../../../../src/protocol/panelProtocol';
import type {
  PanelGradientFlow,
  PanelIntervention,
  PanelState,
  TraceData,
} from '../../../../src/protocol/panelProtocol';
import { applyMessage, emptyState, isToWebview } from '../../../../webview/model/panelStore';

describe('webview panel store', () => {
  const trace: TraceData = {
    uri: 'file:///a',
    version: 2,
    layer: 0,
    kind: 'lstm',
    offsets: [0, 1],
    chars: ['a'],
    cursor: 0,
    series: [],
  };

  it('State replaces everything; increments change only their part and say which', () => {
    const full: PanelState = { ...emptyState(), extensionVersion: '9.9.9', status: 'hi' };
    let r = applyMessage(emptyState(), { type: MessageType.State, state: full });
    assert.strictEqual(r.state, full);
    assert.deepStrictEqual(r.changed.sort(), [
      'cellPage',
      'cells',
      'gradientFlow',
      'header',
      'intervention',
      'saturation',
      'trace',
      'training',
    ]);
    r = applyMessage(r.state, { type: MessageType.Trace, trace });
    assert.deepStrictEqual(r.changed, ['trace']);
    assert.strictEqual(r.state.trace, trace);
    assert.strictEqual(r.state.status, 'hi');
    r = applyMessage(r.state, {
      type: MessageType.Selection,
      selection: { cells: [{ layer: 0, cell: 3 }], primary: null, layer: 0 },
      windowSize: 200,
    });
    assert.strictEqual(r.state.windowSize, 200);
    assert.deepStrictEqual(r.state.selection.cells, [{ layer: 0, cell: 3 }]);
    assert.strictEqual(r.state.trace, trace, 'a selection change keeps the trace until the host sends a new one');
    r = applyMessage(r.state, { type: MessageType.Status, status: 'busy' });
    assert.deepStrictEqual([r.state.status, r.changed], ['busy', ['header']]);
  });

  it('keeps the intervention and the gradient flow, each as its own part', () => {
    const intervention: PanelIntervention = {
      uri: 'file:///a',
      version: 2,
      description: 'L0 h[1] := 0',
      status: 'computing',
      message: 'scoring',
      meanBefore: Number.NaN,
      meanAfter: Number.NaN,
      changed: [],
    };
    const gradientFlow: PanelGradientFlow = {
      uri: 'file:///a',
      version: 2,
      line: 1,
      column: 1,
      char: 'a',
      target: 'b',
      p: 0.5,
      targetIsGuess: true,
      series: [{ name: 'input', values: [1] }],
    };
    let r = applyMessage(emptyState(), { type: MessageType.Intervention, intervention });
    assert.deepStrictEqual([r.state.intervention, r.changed], [intervention, ['intervention']]);
    r = applyMessage(r.state, { type: MessageType.GradientFlow, gradientFlow });
    assert.deepStrictEqual([r.state.gradientFlow, r.changed], [gradientFlow, ['gradientFlow']]);
    assert.strictEqual(r.state.intervention, intervention);
    r = applyMessage(r.state, { type: MessageType.Intervention, intervention: null });
    assert.strictEqual(r.state.intervention, null);
    assert.strictEqual(r.state.gradientFlow, gradientFlow);
    assert.ok(isToWebview({ type: 'intervention', intervention: null }));
    assert.ok(isToWebview({ type: 'gradientFlow', gradientFlow: null }));
  });

  it('recognises host messages by their tag only', () => {
    assert.ok(isToWebview({ type: 'trace', trace: null }));
    assert.ok(!isToWebview({ type: 'ready' }), 'webview->host types are not host messages');
    assert.ok(!isToWebview(null));
    assert.ok(!isToWebview('state'));
  });
});
