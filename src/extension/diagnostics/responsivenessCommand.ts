// "LSTM Lens: Measure Extension Host Responsiveness": the first run starts
// measuring the extension host's event-loop delay, the next (or the
// notification's button) stops and reports it, in the log and a message.
// The extension keeps heavy work in workers; this is how a user, or the
// real-VS Code suite, checks that nothing on the host thread blocks it.

import * as vscode from 'vscode';
import { Command } from '../commands';
import { EventLoopDelayMeter, formatEventLoopDelay, type EventLoopDelayReport } from './eventLoopDelay';

const STOP = 'Stop and Report';

/** Registers the command; it returns the report when it stops a measurement (for tests), else undefined. */
export function registerResponsiveness(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  const meter = new EventLoopDelayMeter();
  const stop = (): EventLoopDelayReport => {
    const report = meter.stop();
    const text = `Extension host ${formatEventLoopDelay(report)}`;
    log.info(text);
    void vscode.window.showInformationMessage(`LSTM Lens: ${text}`);
    return report;
  };
  context.subscriptions.push(
    { dispose: () => meter.dispose() },
    vscode.commands.registerCommand(Command.MeasureResponsiveness, (): EventLoopDelayReport | undefined => {
      if (meter.running) return stop();
      meter.start();
      log.info('Extension host event-loop delay: measuring');
      void vscode.window
        .showInformationMessage('LSTM Lens: measuring the extension host event-loop delay…', STOP)
        .then((choice) => {
          if (choice === STOP && meter.running) stop();
        });
      return undefined;
    }),
  );
}
