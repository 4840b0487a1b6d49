import * as assert from 'assert';
import {
  MessageType,
  PANEL_COMMANDS,
  PanelMessageError,
  validateFromWebview,
} from '../../../src/protocol/panelProtocol';

describe('panel protocol: validateFromWebview', () => {
  it('accepts every webview message with its fields, and returns only those fields', () => {
    const good = [
      { type: 'ready' },
      { type: 'toggleCell', layer: 0, cell: 12, on: true },
      { type: 'setPrimary', layer: 1, cell: 0 },
      { type: 'setLayer', layer: 2 },
      { type: 'setWindowSize', size: 80 },
      { type: 'setWindowSize', size: 400 },
      { type: 'hoverChar', uri: 'file:///a.ts', version: 3, offset: null },
      { type: 'hoverChar', uri: 'file:///a.ts', version: 3, offset: 17 },
      { type: 'revealChar', uri: 'file:///a.ts', version: 3, offset: 0 },
      { type: 'requestSaturation' },
      { type: 'openCellPage', layer: 0, cell: 19, signal: 'c' },
      { type: 'openCellPage', layer: 1, cell: 0, signal: 'h' },
      { type: 'cancelCellPage' },
      { type: 'openPlace', file: 'src/ring.c', line: 36, column: 21 },
      ...PANEL_COMMANDS.map((command) => ({ type: 'runCommand', command })),
    ];
    for (const m of good) assert.deepStrictEqual(validateFromWebview(JSON.parse(JSON.stringify(m))), m);
    assert.strictEqual(validateFromWebview({ type: 'ready' }).type, MessageType.Ready);
  });

  it('rejects malformed messages with an error naming the problem', () => {
    const bad: [unknown, RegExp][] = [
      [null, /must be an object, got null/],
      [[1], /must be an object, got an array/],
      ['ready', /must be an object, got string/],
      [{}, /unknown panel message type undefined/],
      [{ type: 'state' }, /unknown panel message type "state"/],
      [{ type: 'toggleCell', layer: 0, cell: 1.5, on: true }, /toggleCell: cell must be an integer, got 1.5/],
      [{ type: 'toggleCell', layer: -1, cell: 1, on: true }, /toggleCell: layer -1 is outside 0\.\./],
      [{ type: 'toggleCell', layer: 0, cell: 1, on: 'yes' }, /toggleCell: on must be true or false, got "yes"/],
      [{ type: 'toggleCell', layer: 0, cell: 1 }, /on must be true or false, got undefined/],
      [{ type: 'setWindowSize', size: 79 }, /setWindowSize: size 79 is outside 80\.\.400/],
      [{ type: 'setWindowSize', size: 401 }, /size 401 is outside 80\.\.400/],
      [{ type: 'setLayer', layer: '1' }, /setLayer: layer must be an integer, got "1"/],
      [{ type: 'hoverChar', uri: 5, version: 1, offset: 0 }, /hoverChar: uri must be a string, got number/],
      [
        { type: 'revealChar', uri: 'file:///a', version: 1, offset: null },
        /revealChar: offset must be an integer, got null/,
      ],
      [{ type: 'ready', extra: 1 }, /ready: unexpected field\(s\) extra/],
      [
        { type: 'runCommand', command: 'workbench.action.quit' },
        /'workbench\.action\.quit' is not a command the panel may run/,
      ],
      [{ type: 'runCommand', command: 'x'.repeat(300) }, /command is 300 characters long \(limit 200\)/],
      [{ type: 'openCellPage', layer: 0, cell: 1, signal: 'f' }, /openCellPage: signal must be 'h' or 'c', got 'f'/],
      [{ type: 'openCellPage', layer: 0, cell: -1, signal: 'c' }, /openCellPage: cell -1 is outside 0\.\./],
      [{ type: 'openPlace', file: 'a.c', line: 0, column: 1 }, /openPlace: line 0 is outside 1\.\./],
      [{ type: 'openPlace', file: 7, line: 1, column: 1 }, /openPlace: file must be a string, got number/],
      [{ type: 'cancelCellPage', cell: 1 }, /cancelCellPage: unexpected field\(s\) cell/],
    ];
    for (const [m, re] of bad) {
      assert.throws(
        () => validateFromWebview(m),
        (e: Error) => e instanceof PanelMessageError && re.test(e.message),
        `${JSON.stringify(m)?.slice(0, 80)} should fail with ${re}`,
      );
    }
  });
});
