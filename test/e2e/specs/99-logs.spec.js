// @ts-check
// Runs last: over everything the suite did (colouring, hovers, the panel,
// discovery, training), the extension host printed no deprecation warning.
'use strict';
const assert = require('assert');
const { session } = require('../helpers/session');
const { extensionHostDeprecations } = require('../helpers/logs');

describe('LSTM Lens logs after the whole suite', function () {
  it('the extension host printed no deprecation warning', () => {
    const { userDataDir } = session();
    assert.deepStrictEqual(extensionHostDeprecations(userDataDir), []);
  });
});
