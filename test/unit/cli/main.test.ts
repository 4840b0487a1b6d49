import * as assert from 'assert';
import type { CliCommand } from '../../../src/cli/cliCommand';
import { UsageError } from '../../../src/cli/cliCommand';
import { COMMANDS, main } from '../../../src/cli/main';
import { capture } from '../../helpers/cliCapture';

const echo: CliCommand = {
  name: 'echo',
  summary: 'print the arguments',
  usage: 'Usage: lstm-lens echo <words...>',
  run(args, io) {
    if (args.length === 0) return Promise.reject(new UsageError('nothing to echo'));
    if (args[0] === 'boom') return Promise.reject(new Error('exploded'));
    io.out(args.join(' '));
    return Promise.resolve(0);
  },
};

describe('cli dispatcher', () => {
  it('lists every registered command in --help', async () => {
    const io = capture();
    assert.strictEqual(await main(['--help'], io), 0);
    for (const c of COMMANDS) assert.match(io.stdout.join('\n'), new RegExp(`^  ${c.name} +${c.summary}`, 'm'));
  });

  it('dispatches to a command and passes its arguments', async () => {
    const io = capture();
    assert.strictEqual(await main(['echo', 'a', 'b'], io, [echo]), 0);
    assert.deepStrictEqual(io.stdout, ['a b']);
  });

  it('prints a command usage for `<cmd> --help` and `help <cmd>`', async () => {
    for (const argv of [
      ['echo', '--help'],
      ['help', 'echo'],
    ]) {
      const io = capture();
      assert.strictEqual(await main(argv, io, [echo]), 0);
      assert.deepStrictEqual(io.stdout, [echo.usage]);
    }
  });

  it('names an unknown command and exits 2', async () => {
    const io = capture();
    assert.strictEqual(await main(['frobnicate'], io, [echo]), 2);
    assert.match(io.stderr[0], /unknown command 'frobnicate'. Commands: echo\./);
  });

  it('exits 2 with a usage hint for bad usage, 1 for other errors', async () => {
    const bad = capture();
    assert.strictEqual(await main(['echo'], bad, [echo]), 2);
    assert.deepStrictEqual(bad.stderr, ['lstm-lens echo: nothing to echo', 'Run `lstm-lens echo --help` for usage.']);
    const fail = capture();
    assert.strictEqual(await main(['echo', 'boom'], fail, [echo]), 1);
    assert.deepStrictEqual(fail.stderr, ['lstm-lens echo: exploded']);
  });

  it('treats an unknown option of a real command as bad usage', async () => {
    const io = capture();
    assert.strictEqual(await main(['engine', '--no-such-option'], io), 2);
    assert.match(io.stderr[0], /Unknown option '--no-such-option'/);
  });
});
